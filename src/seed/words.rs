//! The seeder's vocabulary: the six categories with their volunteer rule, Dutch first
//! and last names, street names, and the draws that pick from them.

use rand::Rng;
use rand::rngs::StdRng;

/// (code, whether volunteers may do it), as the migrations create them.
pub(super) const CATEGORIES: [(&str, bool); 6] = [
    ("gardening", true),
    ("errands", true),
    ("odd_jobs", false),
    ("moving", false),
    ("administration", false),
    ("meals", true),
];
const FIRST: [&str; 30] = [
    "Annie", "Gerrit", "Riet", "Jan", "Truus", "Henk", "Mien", "Kees", "Jo", "Wim", "Els", "Ton", "Sanne", "Lisa",
    "Bart", "Ria", "Piet", "Marie", "Johan", "Anna", "Cor", "Greet", "Joke", "Hans", "Ineke", "Theo", "Willem",
    "Fenna", "Noor", "Daan",
];
pub(super) const LAST: [&str; 30] = [
    "de Jong",
    "Jansen",
    "de Vries",
    "van den Berg",
    "van Dijk",
    "Bakker",
    "Janssen",
    "Visser",
    "Smit",
    "Meijer",
    "de Boer",
    "Mulder",
    "de Groot",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "van Leeuwen",
    "Dekker",
    "Brouwer",
    "de Wit",
    "Dijkstra",
    "Smits",
    "de Graaf",
    "van der Meer",
    "Verhoeven",
    "Kuijpers",
    "Willems",
    "Claassen",
    "Smulders",
];
pub(super) const STREETS: [&str; 12] = [
    "Dorpsstraat",
    "Kerkstraat",
    "Molenweg",
    "Schoolstraat",
    "Stationsstraat",
    "Nieuwstraat",
    "Julianalaan",
    "Beatrixlaan",
    "Eikenlaan",
    "Lindenlaan",
    "Markt",
    "Heuvelstraat",
];

pub(super) fn pick<'a, T>(rng: &mut StdRng, items: &'a [T]) -> &'a T {
    &items[rng.random_range(0..items.len())]
}

/// A first and a last name.
pub(super) fn name(rng: &mut StdRng) -> String {
    format!("{} {}", pick(rng, &FIRST), pick(rng, &LAST))
}

/// One to three draws from the categories, without repeats: a member's skills or a
/// provider's services.
pub(super) fn categories(rng: &mut StdRng) -> Vec<&'static str> {
    let mut chosen: Vec<&'static str> = Vec::new();
    for _ in 0..rng.random_range(1..=3) {
        let code = pick(rng, &CATEGORIES).0;
        if !chosen.contains(&code) {
            chosen.push(code);
        }
    }
    chosen
}
