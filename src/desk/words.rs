//! The desk's words. Pages are written in Dutch; a template asks `t("…")` with the
//! Dutch text, and English readers get the entry of [`ENGLISH`]. Messages of the
//! service (English, as in the API) are put in plain Dutch by [`dutch_message`].

use std::collections::HashMap;
use std::sync::OnceLock;

pub use crate::domain::client::Language;

/// The language a cookie or form names; Dutch first, also for anything unknown.
pub fn language_of(code: Option<&str>) -> Language {
    code.and_then(|c| c.parse().ok()).unwrap_or(Language::Nl)
}

/// Dutch text, English text.
const ENGLISH: &[(&str, &str)] = &[
    ("Naar de inhoud", "Skip to content"),
    ("Woonservice", "Home service"),
    ("Wachtrij", "Queue"),
    ("Nieuwe hulpvraag", "New request"),
    ("Cliënten", "Clients"),
    ("Cliënt", "Client"),
    ("Aanbieders", "Providers"),
    ("Cheques", "Vouchers"),
    ("Rapportage", "Reports"),
    ("Uitgaande mail", "Outgoing mail"),
    ("Aanbieder", "Provider"),
    ("Inloggen", "Log in"),
    ("Uitloggen", "Log out"),
    ("E-mailadres", "Email address"),
    ("Wachtwoord", "Password"),
    ("Ingelogd als", "Logged in as"),
    ("Gemeente", "Municipality"),
    ("Gemeenten", "Municipalities"),
    ("English", "English"),
    ("Nederlands", "Nederlands"),
    ("Taal", "Language"),
    ("Er ging iets mis", "Something went wrong"),
    ("Controleer de velden hieronder.", "Please check the fields below."),
    ("Hulpvraag", "Request"),
    ("Hulpvragen", "Requests"),
    ("Nieuw", "New"),
    ("Niet gematcht", "Unmatched"),
    ("Doorverwezen, wacht op antwoord", "Referred, waiting for an answer"),
    ("Antwoord te laat", "Answer overdue"),
    ("Bezwaar tegen uren", "Hours disputed"),
    ("Nazorg te doen", "Follow-ups due"),
    ("Niets te doen.", "Nothing to do."),
    ("Alles", "All"),
    ("Toon", "Show"),
    ("Filter", "Filter"),
    ("Categorie", "Category"),
    ("Omschrijving", "Description"),
    ("Van", "From"),
    ("Tot", "Until"),
    ("Uren", "Hours"),
    ("Status", "Status"),
    ("Trede", "Tier"),
    ("Naam", "Name"),
    ("Postcode", "Postcode"),
    ("Telefoon", "Phone"),
    ("Straat", "Street"),
    ("Huisnummer", "House number"),
    ("Plaats", "Town"),
    ("Doelgroep", "Target group"),
    ("Vertegenwoordiger (mantelzorger)", "Representative (informal carer)"),
    ("Relatie", "Relation"),
    ("Zoeken", "Search"),
    (
        "Zoek een cliënt op naam, postcode of telefoon",
        "Find a client by name, postcode or phone",
    ),
    ("Kies", "Choose"),
    ("Geen cliënt gevonden.", "No client found."),
    ("Nieuwe cliënt", "New client"),
    ("Cliënt opslaan", "Save client"),
    ("Hulpvraag opslaan", "Save request"),
    ("De taak", "The task"),
    ("Routeren", "Route"),
    ("Escaleren", "Escalate"),
    ("Doorverwijzen", "Refer"),
    ("Voorstellen", "Propose"),
    ("Annuleren", "Cancel"),
    ("Naar trede", "To tier"),
    ("Reden", "Reason"),
    ("Verloop", "History"),
    ("Kandidaten", "Candidates"),
    ("Score", "Score"),
    ("Afstand", "Distance"),
    ("Acties", "Actions"),
    ("Bewerken", "Edit"),
    ("Opslaan", "Save"),
    ("Terug", "Back"),
    ("Gegevens", "Details"),
    ("Adres", "Address"),
    ("Taal van de cliënt", "Client's language"),
    ("Vrijwilliger", "Volunteer"),
    ("Leerwerkbedrijf", "Learning-work company"),
    ("Particuliere aanbieder", "Private provider"),
    ("Bedrijf", "Business"),
    ("Lokale organisatie", "Local organisation"),
    ("Ouderen", "Elderly"),
    ("Mensen met een beperking", "People with a disability"),
    ("Volgende", "Next"),
    ("Vorige", "Previous"),
    ("Deze pagina bestaat niet.", "This page does not exist."),
    ("U mag deze pagina niet zien.", "You may not see this page."),
    (
        "Het systeem is even niet bereikbaar. Probeer het over een minuut opnieuw.",
        "The system cannot be reached just now. Try again in a minute.",
    ),
    (
        "Het formulier is verlopen. Laad de pagina opnieuw en probeer het nog eens.",
        "The form has expired. Reload the page and try again.",
    ),
    (
        "Te veel pogingen. Probeer het later opnieuw.",
        "Too many attempts. Try again later.",
    ),
    (
        "E-mailadres of wachtwoord klopt niet.",
        "Email address or password is wrong.",
    ),
    ("U bent uitgelogd.", "You are logged out."),
    ("Log in om verder te gaan.", "Log in to continue."),
    ("Resultaat van het routeren", "Routing result"),
    (
        "Geen trede past; de hulpvraag staat in de wachtrij van de adviseurs.",
        "No tier fits; the request is in the advisors' queue.",
    ),
    ("Aanbieder moet antwoorden voor", "Provider must answer before"),
    ("Ontvangen", "Received"),
    (
        "Telefoon of e-mail: minstens één van beide.",
        "Phone or email: at least one of them.",
    ),
    ("Geen kandidaten.", "No candidates."),
    ("Lid", "Member"),
    ("Openstaande verwijzingen", "Open referrals"),
    ("Gedaan door", "Done by"),
    ("het systeem", "the system"),
    ("Bewaard.", "Saved."),
    ("Aantal", "Count"),
    ("Resultaten", "Results"),
    ("Aanbieder neemt het aan", "Provider takes it on"),
    ("Aanbieder zegt nee", "Provider says no"),
    ("Accepteren", "Accept"),
    ("Afgerond", "Completed"),
    ("Afronden", "Complete"),
    ("Afwijzen", "Decline"),
    ("Alle gemeenten", "All municipalities"),
    ("Andere cliënt", "Another client"),
    ("Anders", "Other"),
    ("Beschikbaar", "Available"),
    ("Bezoek", "Visit"),
    (
        "De cliënt heeft het maximum aantal cheques voor dit jaar bereikt.",
        "The client has reached this year's voucher limit.",
    ),
    (
        "De cliënt heeft niet genoeg cheques.",
        "The client does not have enough vouchers.",
    ),
    (
        "De volgorde van vrijwilliger tot bedrijf, vanaf de eerste trede die nog open is.",
        "The order from volunteer to business, from the first tier still open.",
    ),
    (
        "Deze cliënt krijgt geen mail: bel bij elke stap.",
        "This client gets no mail: phone at every step.",
    ),
    (
        "Deze trede heeft nu geen passende kandidaat.",
        "This tier has no fitting candidate now.",
    ),
    (
        "Dit kan niet in de huidige stand van de hulpvraag.",
        "This cannot be done in the request's current state.",
    ),
    ("Dit kan nu niet.", "This cannot be done now."),
    ("Doorverwezen", "Referred"),
    ("Doorverwezen naar", "Referred to"),
    ("Eerlijke verdeling", "Fair share"),
    ("Geannuleerd", "Cancelled"),
    ("Gerouteerd naar een lid", "Routed to a member"),
    (
        "Het lid heeft deze week geen uren meer over.",
        "The member has no hours left this week.",
    ),
    (
        "Het lid heeft op dat moment al een bezoek.",
        "The member already has a visit at that time.",
    ),
    ("In kwartieren, zoals 1,5 of 2,25", "In quarter hours, like 1.5 or 2.25"),
    ("Ingepland", "Scheduled"),
    ("Kent de cliënt", "Knows the client"),
    ("Leerdoel", "Learning goal"),
    ("Let op", "Note"),
    ("Nog geen hulpvragen.", "No requests yet."),
    ("Nog niet gerouteerd.", "Not routed yet."),
    ("Notitie", "Note"),
    ("Onderdelen", "Parts"),
    ("Ruimte in de week", "Room in the week"),
    ("Vaardigheid", "Skill"),
    ("Vul dit veld in.", "Fill in this field."),
    ("Werk gedaan", "Work done"),
    ("Zoals 5582 AB", "Like 5582 AB"),
    ("Zoals dochter of buurman", "Like daughter or neighbour"),
    ("afgerond", "completed"),
    ("geaccepteerd", "accepted"),
    ("geen antwoord op tijd", "no answer in time"),
    ("geweigerd", "declined"),
    ("ingetrokken", "withdrawn"),
    ("wacht op antwoord", "waiting for an answer"),
    ("medewerker", "staff member"),
    ("Mantelzorger", "Informal carer"),
    ("Gerouteerd", "Routed"),
    ("Naam van de vertegenwoordiger", "Representative's name"),
    ("Telefoon van de vertegenwoordiger", "Representative's phone"),
    ("E-mailadres van de vertegenwoordiger", "Representative's email"),
    ("Veld", "Field"),
    ("Aan", "To"),
    ("Afdrukken", "Print"),
    ("Bekijken", "View"),
    (
        "Bewaar deze bon. Eén cheque is één uur werk van het leerwerkbedrijf.",
        "Keep this receipt. One voucher is one hour of work by the learning-work company.",
    ),
    ("Bon", "Receipt"),
    ("CSV downloaden", "Download CSV"),
    ("Cheques van de cliënt", "The client's vouchers"),
    ("Cheques verkopen", "Sell vouchers"),
    ("Datum", "Date"),
    (
        "De 50 die het eerst verlopen staan hier.",
        "The 50 that expire first are shown here.",
    ),
    (
        "De cijfers van een maand: hulpvragen per trede, uren, cheques en uitstroom, met de twaalf maanden ervoor.",
        "A month's figures: requests per tier, hours, vouchers and outflow, with the twelve months before.",
    ),
    (
        "De nieuwste 100 staan hier; kies een status om te zoeken.",
        "The newest 100 are shown; choose a status to narrow down.",
    ),
    ("Eén cheque is één uur werk.", "One voucher is one hour of work."),
    ("Geen mail met deze status.", "No mail with this status."),
    ("Geldig tot en met", "Valid until"),
    ("Gemaakt", "Created"),
    ("Geschiedenis", "History"),
    ("Laatste fout", "Last error"),
    ("Maand", "Month"),
    ("Nog geen cheques.", "No vouchers yet."),
    ("Nog niets gebeurd.", "Nothing happened yet."),
    ("Nummer", "Number"),
    ("Nummers", "Numbers"),
    ("Opnieuw versturen", "Send again"),
    ("Prijs per cheque", "Price per voucher"),
    ("Saldo", "Balance"),
    ("Soort", "Kind"),
    ("Totaal", "Total"),
    ("Verkocht door", "Sold by"),
    ("Verkopen", "Sell"),
    ("Waarde", "Value"),
    ("Zoals 2026-11", "Like 2026-11"),
    (
        "Zoveel cheques mag deze cliënt dit jaar niet meer kopen.",
        "This client may not buy that many vouchers this year.",
    ),
    ("beschikbaar", "available"),
    ("geannuleerd", "cancelled"),
    ("gereserveerd", "reserved"),
    ("in de wachtrij", "queued"),
    ("ingewisseld", "redeemed"),
    ("niet bezorgd", "not delivered"),
    ("verkocht", "sold"),
    ("verlopen", "expired"),
    ("verstuurd", "sent"),
    ("vrijgegeven", "released"),
    ("Hulp vragen", "Ask for help"),
    ("Waarmee kunnen we helpen?", "What can we help with?"),
    ("Wat moet er gebeuren?", "What needs doing?"),
    ("Op welke dag?", "On which day?"),
    ("Hoe laat?", "What time?"),
    ("Hoe lang duurt het ongeveer?", "About how long will it take?"),
    ("uur", "hours"),
    ("'s Ochtends (9 tot 12 uur)", "In the morning (9 to 12)"),
    ("'s Middags (13 tot 17 uur)", "In the afternoon (1 to 5 pm)"),
    ("Maakt niet uit (9 tot 17 uur)", "Any time (9 to 5)"),
    (
        "Uw hulpvraag is ontvangen. We zoeken iemand en laten het u weten.",
        "We have your request. We will look for someone and let you know.",
    ),
    ("Op welke dag", "On which day"),
    ("Afgesproken", "Agreed"),
    ("Afgewezen", "Declined"),
    ("Afhandelen", "Resolve"),
    ("Akkoord", "Agree"),
    ("Bevestigd. Het bezoek gaat door.", "Confirmed. The visit goes ahead."),
    ("Bevestigen", "Confirm"),
    ("Bezoeken", "Visits"),
    ("Bezwaar afgehandeld", "Dispute resolved"),
    ("Bezwaar afhandelen", "Resolve the dispute"),
    ("Dank u. De uren zijn goedgekeurd.", "Thank you. The hours are agreed."),
    (
        "Dank u. Een adviseur belt u over de uren.",
        "Thank you. An advisor will call you about the hours.",
    ),
    (
        "De cliënt is het niet eens met de uren",
        "The client does not agree with the hours",
    ),
    (
        "De cliënt moet de uren nog goedkeuren",
        "The client has yet to agree to the hours",
    ),
    (
        "De uren zijn bewaard. De cliënt keurt ze nog goed.",
        "The hours are saved. The client will agree to them.",
    ),
    ("Een andere organisatie helpt u.", "Another organisation helps you."),
    ("Er komt iemand.", "Someone is coming."),
    (
        "Eén cheque is één uur werk van het leerwerkbedrijf.",
        "One voucher is one hour of work by the learning-work company.",
    ),
    ("Geaccepteerd, wacht op de coach", "Accepted, waiting for the coach"),
    ("Gedaan", "Done"),
    ("Gedaan.", "Done."),
    ("Geef de gewerkte uren door", "Pass on the hours worked"),
    ("Gestopt.", "Stopped."),
    ("Gevraagd op", "Asked on"),
    ("Gevraagd: wil je dit doen?", "Asked: will you do this?"),
    ("Gewerkte uren", "Hours worked"),
    ("Goed", "Good"),
    ("Goedkeuring", "Sign-off"),
    ("Heel goed", "Very good"),
    ("Het bezwaar is afgehandeld.", "The dispute is resolved."),
    ("Hoe ging het? (niet verplicht)", "How did it go? (optional)"),
    (
        "In kwartieren, zoals 2 of 2,25. 0 geeft de cheques terug.",
        "In quarter hours, like 2 or 2.25. 0 gives the vouchers back.",
    ),
    (
        "In kwartieren, zoals 2,5 of 1,75.",
        "In quarter hours, like 2.5 or 1.75.",
    ),
    ("Klopt het aantal uren?", "Are the hours right?"),
    ("Komende bezoeken", "Coming visits"),
    ("Matig", "Fair"),
    ("Mijn cheques", "My vouchers"),
    ("Mijn hulpvragen", "My requests"),
    ("Niet akkoord", "Do not agree"),
    ("Niet bevestigd door de coach", "Not confirmed by the coach"),
    (
        "Niet bevestigd. De hulpvraag gaat terug.",
        "Not confirmed. The request goes back.",
    ),
    ("Niet bevestigen", "Do not confirm"),
    ("Niet gekomen", "Did not come"),
    ("Opmerking (niet verplicht)", "Comment (optional)"),
    ("Slecht", "Poor"),
    ("Te bevestigen", "To confirm"),
    ("U hebt het bezoek afgewezen.", "You declined the visit."),
    ("U hebt het bezoek geaccepteerd.", "You accepted the visit."),
    ("U hebt nog geen hulp gevraagd.", "You have not asked for help yet."),
    ("Je hebt nu geen bezoeken.", "You have no visits now."),
    ("Uitstekend", "Excellent"),
    ("Uren bekijken", "See the hours"),
    ("Uren die tellen", "Hours that count"),
    ("Uren doorgeven", "Pass on the hours"),
    ("Uren goedgekeurd", "Hours agreed"),
    (
        "Uren goedgekeurd (geen bezwaar op tijd)",
        "Hours agreed (no objection in time)",
    ),
    (
        "Uw werkzoekende heeft dit bezoek zelf geaccepteerd. Gaat het door?",
        "Your jobseeker accepted this visit themselves. Does it go ahead?",
    ),
    ("Voor het leerwerkbedrijf", "For the learning-work company"),
    ("Voorgesteld: nog niet geaccepteerd", "Proposed: not accepted yet"),
    ("Waar", "Where"),
    ("Wacht op je coach", "Waiting for your coach"),
    ("Wanneer", "When"),
    ("Wat", "What"),
    ("Wat klopt er niet?", "What is not right?"),
    ("We zoeken iemand voor u.", "We are looking for someone for you."),
    (
        "We zoeken nog. Een adviseur belt u.",
        "We are still looking. An advisor will call you.",
    ),
    ("Wie komt", "Who comes"),
    ("klopt het aantal uren?", "are the hours right?"),
    ("tot", "until"),
    ("vanaf", "from"),
    (
        "Overlap met een lokale organisatie",
        "Overlap with a local organisation",
    ),
    ("Mail die niet bezorgd is", "Mail not delivered"),
    (
        "De controle is overruled. Routeer de hulpvraag opnieuw: nu doet het leerwerkbedrijf mee.",
        "The check has been overruled. Route the request again: the learning-work company now takes part.",
    ),
    ("Account maken", "Create account"),
    ("Actief", "Active"),
    ("Actief en niet actief", "Active and inactive"),
    ("Adviseur", "Advisor"),
    ("Alle rollen", "All roles"),
    ("Alle soorten", "All kinds"),
    ("Antwoordtijd verwijzing (uren)", "Referral answer time (hours)"),
    ("Beheerder", "Administrator"),
    ("Categorieën", "Categories"),
    ("Cheques per cliënt per jaar", "Vouchers per client per year"),
    ("Cheques per jaar", "Vouchers per year"),
    ("Cliënt of mantelzorger", "Client or informal carer"),
    ("Code", "Code"),
    ("Coördinator", "Coordinator"),
    (
        "Daarna gelden de uren als goedgekeurd.",
        "After that the hours count as agreed.",
    ),
    ("Dagen om uren goed te keuren", "Days to sign off hours"),
    ("De categorie is toegevoegd.", "The category has been added."),
    ("Deactiveren", "Deactivate"),
    ("Dit is al in gebruik.", "This is already in use."),
    (
        "Een aanbieder die niet actief is, krijgt geen hulpvragen meer.",
        "A provider that is not active gets no more requests.",
    ),
    (
        "Een lokale organisatie biedt dit al aan, daarom sloeg de routering het leerwerkbedrijf over. Overrulen laat het leerwerkbedrijf toch meedoen; routeer daarna opnieuw.",
        "A local organisation already offers this, so routing skipped the learning-work company. Overruling lets the learning-work company take part after all; route again afterwards.",
    ),
    ("Een vrijwilliger mag dit doen", "A volunteer may do this"),
    ("Eerste wachtwoord", "First password"),
    ("Gebruikers", "Users"),
    ("Geen aanbieder gevonden.", "No provider found."),
    ("Geen account gevonden.", "No account found."),
    ("Geldig (maanden)", "Valid (months)"),
    ("Gemeenten (voor medewerkers)", "Municipalities (for staff)"),
    (
        "Het account is gedeactiveerd. Wie ermee was ingelogd, is uitgelogd.",
        "The account has been deactivated. Whoever was logged in with it has been logged out.",
    ),
    ("Het account is gemaakt.", "The account has been created."),
    ("Het account is weer actief.", "The account is active again."),
    (
        "Het nieuwe wachtwoord is bewaard. Wie ermee was ingelogd, is uitgelogd.",
        "The new password has been saved. Whoever was logged in with it has been logged out.",
    ),
    (
        "Kleine letters zonder spaties, zoals huisdieren. Kan later niet meer veranderen.",
        "Lower-case letters without spaces, like pets. Cannot be changed later.",
    ),
    ("Leeg: geen maximum.", "Empty: no maximum."),
    ("Leerwerkbedrijf doet", "Learning-work company does"),
    ("Lid (vrijwilliger of werkzoekende)", "Member (volunteer or jobseeker)"),
    (
        "Minstens 8 tekens. Geef het persoonlijk door.",
        "At least 8 characters. Hand it over in person.",
    ),
    (
        "Minstens 8 tekens. Wie ermee was ingelogd, moet opnieuw inloggen.",
        "At least 8 characters. Whoever was logged in with it must log in again.",
    ),
    ("Naam in het Engels", "Name in English"),
    ("Naam in het Nederlands", "Name in Dutch"),
    ("Niet actief", "Not active"),
    (
        "Niet alle aanbieders staan hier; zoek op naam of soort.",
        "Not every provider is listed here; search by name or kind.",
    ),
    (
        "Niet alle accounts staan hier; kies een rol om te zoeken.",
        "Not every account is listed here; choose a role to search.",
    ),
    ("Nieuw account", "New account"),
    ("Nieuw wachtwoord", "New password"),
    ("Nieuwe aanbieder", "New provider"),
    ("Nieuwe categorie", "New category"),
    ("Nieuwe gemeente", "New municipality"),
    ("Nog geen gemeenten.", "No municipalities yet."),
    (
        "Nummer van de cliënt (voor een cliëntaccount)",
        "Client number (for a client account)",
    ),
    (
        "Nummer van het lid (voor een ledenaccount)",
        "Member number (for a member account)",
    ),
    ("Overlap overrulen", "Overrule the overlap"),
    ("Overrulen", "Overrule"),
    ("Particuliere aanbieder (zzp)", "Private provider (self-employed)"),
    ("Prijs per cheque in euro", "Price per voucher in euros"),
    ("Re-integratiecoach", "Re-integration coach"),
    ("Rol", "Role"),
    ("Toevoegen", "Add"),
    ("Vrijwilliger mag", "Volunteer may"),
    ("Wachtwoord bewaren", "Save password"),
    (
        "Wat het leerwerkbedrijf hier doet",
        "What the learning-work company does here",
    ),
    ("Weer activeren", "Activate again"),
    (
        "Wie niet meer voor de woonservice werkt, deactiveert u. Alle sessies van dit account stoppen meteen.",
        "Deactivate whoever no longer works for the home service. Every session of this account ends at once.",
    ),
    (
        "Zo lang heeft een aanbieder om een verwijzing te accepteren.",
        "How long a provider has to accept a referral.",
    ),
    (
        "Zoals 5,00. Geldt voor cheques die vanaf nu worden verkocht.",
        "Like 5.00. Applies to vouchers sold from now on.",
    ),
    ("Zoek op naam", "Search by name"),
    ("en andere gemeenten", "and other municipalities"),
    ("geen maximum", "no maximum"),
    ("ja", "yes"),
    ("nee", "no"),
    ("niet actief", "not active"),
    ("Werkzoekenden", "Jobseekers"),
    ("U hebt nog geen werkzoekenden.", "You have no jobseekers yet."),
    ("Uren deze week", "Hours this week"),
    ("van", "of"),
    ("meer dan de grens", "over the limit"),
    ("Volgende bezoeken", "Next visits"),
    ("Geen", "None"),
    ("Kan", "Can do"),
    ("Leert", "Is learning"),
    ("Nog niets", "Nothing yet"),
    ("Gepauzeerd", "Paused"),
    ("Uitgestroomd", "Left"),
    ("naar", "to"),
    ("op", "on"),
    ("betaald werk", "paid work"),
    ("een opleiding", "education"),
    ("vrijwilligerswerk", "volunteer work"),
    ("iets anders", "something else"),
    ("Uren per week hoogstens", "Hours per week at most"),
    ("Nog niet opgegeven", "Not given yet"),
    ("Afgelopen 12 maanden", "Last 12 months"),
    ("Wat cliënten zeggen", "What clients say"),
    ("Gemiddeld", "On average"),
    ("van de 5", "out of 5"),
    ("beoordelingen", "ratings"),
    ("Nog geen beoordelingen.", "No ratings yet."),
    ("Beschikbaarheid aanpassen", "Change availability"),
    (
        "Wanneer kan deze persoon elke week werken? Maak een blok leeg om het weg te halen.",
        "When can this person work each week? Empty a block to remove it.",
    ),
    ("Blok", "Block"),
    ("Dag", "Day"),
    ("Beschikbaarheid bewaren", "Save availability"),
    ("Leerdoelen aanpassen", "Change learning goals"),
    (
        "Werk in deze soorten krijgt voorrang bij het zoeken.",
        "Work of these kinds comes first when searching.",
    ),
    ("Leerdoelen", "Learning goals"),
    ("Leerdoelen bewaren", "Save learning goals"),
    ("Bezoeken gedaan", "Visits done"),
    ("Afgewezen door de werkzoekende", "Declined by the jobseeker"),
    ("Per maand", "Per month"),
    ("Voortgang", "Progress"),
    ("Leerdoelen bewaard.", "Learning goals saved."),
    ("Beschikbaarheid bewaard.", "Availability saved."),
    ("Controleer de blokken hieronder.", "Check the blocks below."),
    ("Beschikbaarheid", "Availability"),
];

fn english() -> &'static HashMap<&'static str, &'static str> {
    static TABLE: OnceLock<HashMap<&'static str, &'static str>> = OnceLock::new();
    TABLE.get_or_init(|| ENGLISH.iter().copied().collect())
}

/// The text in `lang`; Dutch text that has no English entry stays Dutch.
pub fn t(lang: Language, dutch: &str) -> String {
    match lang {
        Language::Nl => dutch.to_owned(),
        Language::En => english().get(dutch).copied().unwrap_or(dutch).to_owned(),
    }
}

/// The Dutch label of a form field, by the name the service gives it in an error.
pub fn field_label(field: &str) -> &'static str {
    match field {
        "email" => "E-mailadres",
        "password" => "Wachtwoord",
        "name" => "Naam",
        "address.street" => "Straat",
        "address.house_number" => "Huisnummer",
        "address.postcode" => "Postcode",
        "address.city" => "Plaats",
        "phone" => "Telefoon",
        "representative.name" => "Naam van de vertegenwoordiger",
        "representative.relation" => "Relatie",
        "representative.phone" => "Telefoon van de vertegenwoordiger",
        "representative.email" => "E-mailadres van de vertegenwoordiger",
        "municipality_id" => "Gemeente",
        "client_id" => "Cliënt",
        "category" => "Categorie",
        "description" => "Omschrijving",
        "window_start" | "starts_at" => "Van",
        "window_end" | "ends_at" => "Tot",
        "estimated_hours" => "Uren",
        "reason" => "Reden",
        "tier" => "Trede",
        "provider_id" => "Aanbieder",
        "member_id" => "Lid",
        "note" => "Notitie",
        "target_groups" => "Doelgroep",
        "preferred_language" => "Taal van de cliënt",
        "kind" => "Soort",
        "categories" => "Categorieën",
        "municipality_ids" => "Gemeenten",
        "role" => "Rol",
        "active" => "Actief",
        "code" => "Code",
        "name_nl" => "Naam in het Nederlands",
        "name_en" => "Naam in het Engels",
        "voucher_price" => "Prijs per cheque",
        "voucher_validity_months" => "Geldig (maanden)",
        "yearly_voucher_cap" => "Cheques per cliënt per jaar",
        "woonservice_categories" => "Wat het leerwerkbedrijf hier doet",
        "referral_response_hours" => "Antwoordtijd verwijzing (uren)",
        "sign_off_days" => "Dagen om uren goed te keuren",
        "hours_worked" => "Gewerkte uren",
        "date" => "Op welke dag",
        "part" => "Hoe laat?",
        "rating" => "Hoe ging het?",
        "comment" => "Opmerking",
        "availability" => "Beschikbaarheid",
        "learning_goals" => "Leerdoelen",
        _ => "Veld",
    }
}

/// Whether the table has this Dutch text (for the test that templates ask only known words).
pub fn known(dutch: &str) -> bool {
    english().contains_key(dutch)
}

/// A message of the service in plain Dutch (or kept, in English). Messages carry
/// numbers and examples; the patterns keep them.
pub fn dutch_message(lang: Language, message: &str) -> String {
    if lang == Language::En {
        return capitalised(message);
    }
    let m = message;
    let number_after = |prefix: &str| {
        m.strip_prefix(prefix)
            .map(|rest| rest.split_whitespace().next().unwrap_or("").to_owned())
    };
    if m == "must not be empty" {
        "Vul dit veld in.".to_owned()
    } else if let Some(n) = number_after("must be at most ").filter(|_| m.ends_with("characters")) {
        format!("Gebruik hoogstens {n} tekens.")
    } else if let Some(n) = number_after("must be at least ").filter(|_| m.ends_with("characters")) {
        format!("Gebruik minstens {n} tekens.")
    } else if m.starts_with("must be a Dutch postcode") {
        "Vul een postcode in zoals 5582 AB.".to_owned()
    } else if m.starts_with("must be a phone number") {
        "Vul een telefoonnummer in van 8 tot 15 cijfers, zoals 040 123 45 67.".to_owned()
    } else if m.starts_with("must be an email address") {
        "Vul een e-mailadres in zoals naam@voorbeeld.nl.".to_owned()
    } else if m.starts_with("must be one line") {
        "Gebruik één regel, zonder enters of tabs.".to_owned()
    } else if m.starts_with("must not contain control characters") {
        "Deze tekst bevat tekens die niet mogen.".to_owned()
    } else if m == "must be a date and time" {
        "Vul een datum en tijd in.".to_owned()
    } else if m == "must be a date" {
        "Kies een dag.".to_owned()
    } else if m == "must be a whole number" {
        "Vul een heel getal in.".to_owned()
    } else if m == "must be a number of hours" {
        "Vul een aantal uren in, zoals 2,5.".to_owned()
    } else if m.starts_with("must be one of the") {
        "Kies er een uit de lijst.".to_owned()
    } else if m == "must be in the future" {
        "Kies een moment in de toekomst.".to_owned()
    } else if m.starts_with("must be after") {
        "Moet na het begin liggen.".to_owned()
    } else if let Some(rest) = m.strip_prefix("must be at most ").filter(|r| r.contains("days after")) {
        let days = rest.split_whitespace().next().unwrap_or("");
        format!("Mag hoogstens {days} dagen na het begin liggen.")
    } else if m.starts_with("must be a multiple of 0.25") || m.starts_with("must be on a quarter hour") {
        "Gebruik hele kwartieren (zoals 1,5 of 2,25 uur).".to_owned()
    } else if let Some(rest) = m.strip_prefix("must be between ").filter(|r| r.ends_with("hours")) {
        let parts: Vec<&str> = rest.split_whitespace().collect();
        format!(
            "Kies tussen {} en {} uur.",
            parts.first().unwrap_or(&""),
            parts.get(2).unwrap_or(&"")
        )
    } else if let Some(rest) = m.strip_prefix("must be between ") {
        let parts: Vec<&str> = rest.split_whitespace().collect();
        format!(
            "Kies een getal van {} tot en met {}.",
            parts.first().unwrap_or(&""),
            parts.get(2).unwrap_or(&"")
        )
    } else if m.starts_with("must be 1 (Monday)") {
        "Kies een dag.".to_owned()
    } else if m.starts_with("overlaps another slot") {
        "Dit blok valt samen met een ander blok op dezelfde dag.".to_owned()
    } else if m == "only a jobseeker has learning goals" {
        "Alleen een werkzoekende heeft leerdoelen.".to_owned()
    } else if m.starts_with("unknown categories") {
        "Deze soort werk bestaat niet.".to_owned()
    } else if m.starts_with("must be a time like") {
        "Vul een tijd in zoals 09:00.".to_owned()
    } else if m.starts_with("must be a decimal amount") || m == "must be a whole number of cents" {
        "Vul een bedrag in zoals 5,00.".to_owned()
    } else if m.starts_with("must be one of") {
        "Kies een van de mogelijkheden.".to_owned()
    } else if m == "no such category" || m == "unknown category" {
        "Deze categorie bestaat niet.".to_owned()
    } else if m == "a provider offers at least one category" {
        "Kies minstens één categorie.".to_owned()
    } else if m == "a provider serves at least one municipality" || m.ends_with("needs at least one municipality") {
        "Kies minstens één gemeente.".to_owned()
    } else if m.starts_with("an admin serves every municipality") {
        "Een beheerder werkt voor alle gemeenten: kies er geen.".to_owned()
    } else if m.starts_with("must be 2 to 40 lowercase letters") {
        "Gebruik 2 tot 40 kleine letters, cijfers of liggende streepjes (_), zonder spaties.".to_owned()
    } else if m.contains("email") && m.contains("phone") {
        "Vul een telefoonnummer of een e-mailadres in.".to_owned()
    } else {
        capitalised(m)
    }
}

fn capitalised(message: &str) -> String {
    let mut chars = message.chars();
    match chars.next() {
        Some(first) => {
            let mut out: String = first.to_uppercase().collect();
            out.push_str(chars.as_str());
            if !out.ends_with('.') {
                out.push('.');
            }
            out
        }
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_messages_read_as_plain_dutch_with_their_numbers() {
        assert_eq!(dutch_message(Language::Nl, "must not be empty"), "Vul dit veld in.");
        assert_eq!(
            dutch_message(Language::Nl, "must be at most 200 characters"),
            "Gebruik hoogstens 200 tekens."
        );
        assert_eq!(
            dutch_message(Language::Nl, "must be between 0.25 and 8 hours"),
            "Kies tussen 0.25 en 8 uur."
        );
        assert_eq!(
            dutch_message(Language::Nl, "must be at most 14 days after window_start"),
            "Mag hoogstens 14 dagen na het begin liggen."
        );
        assert_eq!(dutch_message(Language::En, "must not be empty"), "Must not be empty.");
    }

    #[test]
    fn every_dutch_text_has_one_english_entry() {
        let mut seen = std::collections::HashSet::new();
        let twice: Vec<&str> = ENGLISH
            .iter()
            .map(|(nl, _)| *nl)
            .filter(|nl| !seen.insert(*nl))
            .collect();
        assert!(twice.is_empty(), "listed more than once: {twice:?}");
    }

    #[test]
    fn english_falls_back_to_dutch_for_a_missing_word() {
        assert_eq!(t(Language::En, "Wachtrij"), "Queue");
        assert_eq!(t(Language::Nl, "Wachtrij"), "Wachtrij");
        assert_eq!(t(Language::En, "onbekend woord"), "onbekend woord");
    }
}
