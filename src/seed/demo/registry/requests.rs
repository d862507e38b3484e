//! The demo's seven new requests, for windows in the coming days, taken in by the
//! advisor of the client's municipality; `activity` routes them.

use chrono::{Datelike, Duration, NaiveTime, TimeZone, Utc, Weekday};
use chrono_tz::Europe::Amsterdam;

use super::{id_named, user_id};
use crate::domain::hours::QuarterHours;
use crate::domain::request::NewTaskRequest;
use crate::domain::window::DateWindow;
use crate::error::AppResult;
use crate::store::{DbConnection, clients, requests};

struct DemoRequest {
    client: &'static str,
    category: &'static str,
    description: &'static str,
    /// The next such weekday at least two days from now.
    weekday: Weekday,
    /// Local (Amsterdam) hour the window opens.
    local_hour: u32,
    window_hours: i64,
    estimated_quarters: i32,
    taken_in_by: &'static str,
}

const REQUESTS: [DemoRequest; 7] = [
    DemoRequest {
        client: "Annie van den Berg",
        category: "gardening",
        description: "De heg aan de voorkant snoeien en het snoeiafval afvoeren.",
        weekday: Weekday::Tue,
        local_hour: 9,
        window_hours: 3,
        estimated_quarters: 10,
        taken_in_by: "advisor@demo.woonservice.nl",
    },
    DemoRequest {
        client: "Gerrit Janssen",
        category: "odd_jobs",
        description: "Gordijnrails ophangen in de woonkamer (twee ramen).",
        weekday: Weekday::Wed,
        local_hour: 10,
        window_hours: 4,
        estimated_quarters: 6,
        taken_in_by: "advisor@demo.woonservice.nl",
    },
    DemoRequest {
        client: "Riet Smulders",
        category: "moving",
        description: "Zolder leeghalen: dozen naar de kringloop brengen.",
        weekday: Weekday::Thu,
        local_hour: 9,
        window_hours: 7,
        estimated_quarters: 16,
        taken_in_by: "advisor@demo.woonservice.nl",
    },
    DemoRequest {
        client: "Truus Hendriks",
        category: "errands",
        description: "Wekelijkse boodschappen bij de supermarkt in het centrum.",
        weekday: Weekday::Mon,
        local_hour: 11,
        window_hours: 2,
        estimated_quarters: 4,
        taken_in_by: "advisor@demo.woonservice.nl",
    },
    DemoRequest {
        client: "Henk Verhoeven",
        category: "gardening",
        description: "Bladeren ruimen en de border winterklaar maken.",
        weekday: Weekday::Sat,
        local_hour: 10,
        window_hours: 4,
        estimated_quarters: 8,
        taken_in_by: "advisor.valkenswaard@demo.woonservice.nl",
    },
    DemoRequest {
        client: "Kees Vermeulen",
        category: "odd_jobs",
        description: "Een wankele trapleuning vastzetten.",
        weekday: Weekday::Wed,
        local_hour: 13,
        window_hours: 3,
        estimated_quarters: 4,
        taken_in_by: "advisor.valkenswaard@demo.woonservice.nl",
    },
    DemoRequest {
        client: "Fatima el Amrani",
        category: "administration",
        description: "Hulp bij het ordenen van de post en het invullen van een aanvraag.",
        weekday: Weekday::Fri,
        local_hour: 10,
        window_hours: 2,
        estimated_quarters: 6,
        taken_in_by: "advisor@demo.woonservice.nl",
    },
];

/// Stores every demo request, for the demo clients by name (`client_ids`).
pub(super) fn load(conn: &mut DbConnection, client_ids: &[(&str, i64)], now: chrono::DateTime<Utc>) -> AppResult<()> {
    let today = now.with_timezone(&Amsterdam).date_naive();
    for r in &REQUESTS {
        let client_id = id_named(client_ids, r.client);
        let municipality = clients::municipality_of(conn, client_id)?.expect("just inserted");
        let mut day = today + Duration::days(2);
        while day.weekday() != r.weekday {
            day = day.succ_opt().expect("a date far from the end of time");
        }
        let local = Amsterdam
            .from_local_datetime(&day.and_time(NaiveTime::from_hms_opt(r.local_hour, 0, 0).expect("valid")))
            .earliest()
            .expect("no gap at this hour");
        let start = local.with_timezone(&Utc);
        let new = NewTaskRequest {
            client_id,
            category: r.category.into(),
            description: r.description.into(),
            window: DateWindow::stored(start, start + Duration::hours(r.window_hours)),
            estimated_hours: QuarterHours::from_quarters(r.estimated_quarters),
        };
        let creator = user_id(conn, r.taken_in_by)?;
        requests::insert(conn, &new, municipality, creator, now)?;
    }
    Ok(())
}
