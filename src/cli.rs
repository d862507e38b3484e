//! The command line: `serve`, `migrate`, `user create`, `openapi`.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::config::Config;
use crate::domain::Role;
use crate::seed::Scale;
use crate::seed::demo;
use crate::service::jobs::Job;
use crate::service::users::{self, StaffAccount};
use crate::startup::{self, Application};
use crate::store::migrations;
use crate::telemetry;

#[derive(Parser)]
#[command(
    name = "woonservice",
    version,
    about = "Neighbourhood home-service scheme: requests, matching, vouchers"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Start the HTTP server (BIND, DATABASE_URL, JWT_SECRET, LOG_FORMAT from the environment).
    Serve {
        /// Load the demo data set once (a second start adds nothing) and print its logins.
        #[arg(long)]
        demo: bool,
    },
    /// Apply pending database migrations and exit.
    Migrate,
    /// Manage accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Print the OpenAPI document.
    Openapi,
    /// Service vouchers.
    Vouchers {
        #[command(subcommand)]
        command: VoucherCommand,
    },
    /// Data for trying and measuring the service.
    Demo {
        #[command(subcommand)]
        command: DemoCommand,
    },
    /// Scheduled jobs (`serve` runs them on their interval).
    Jobs {
        #[command(subcommand)]
        command: JobCommand,
    },
}

#[derive(Subcommand)]
enum VoucherCommand {
    /// Rebuild every voucher's state from the event ledger and compare; exit 1 on a mismatch.
    Verify,
}

#[derive(Subcommand)]
enum DemoCommand {
    /// Fill the database with generated data at scale (for benchmarks and load tests).
    Seed {
        #[arg(long, value_enum, default_value = "town")]
        scale: Scale,
        /// Seed of the random generator: the same seed gives the same data.
        #[arg(long, default_value_t = 42)]
        seed: u64,
    },
}

#[derive(Subcommand)]
enum JobCommand {
    /// Run one job once.
    Run {
        #[arg(value_enum)]
        job: Job,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create a staff account; the password comes from WOONSERVICE_PASSWORD, else it is asked.
    Create {
        #[arg(long)]
        email: String,
        #[arg(long, value_parser = parse_role)]
        role: Role,
        /// A municipality the user serves, by name; repeat for several.
        #[arg(long = "municipality", value_name = "NAME")]
        municipalities: Vec<String>,
    },
}

fn parse_role(s: &str) -> Result<Role, String> {
    s.parse()
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Openapi => print_openapi(),
        Command::Serve { demo } => serve(demo),
        Command::Migrate => migrate(),
        Command::User {
            command:
                UserCommand::Create {
                    email,
                    role,
                    municipalities,
                },
        } => create_user(email, role, municipalities),
        Command::Vouchers {
            command: VoucherCommand::Verify,
        } => verify_vouchers(),
        Command::Jobs {
            command: JobCommand::Run { job },
        } => run_job(job),
        Command::Demo {
            command: DemoCommand::Seed { scale, seed },
        } => seed_data(scale, seed),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn load_config() -> Result<Config, String> {
    let config = Config::from_env().map_err(|e| e.to_string())?;
    telemetry::init(config.log_format);
    Ok(config)
}

fn print_openapi() -> Result<(), String> {
    let doc = crate::api::openapi_document();
    println!("{}", doc.to_pretty_json().map_err(|e| e.to_string())?);
    Ok(())
}

fn migrate() -> Result<(), String> {
    let config = load_config()?;
    let db = crate::store::Db::for_command(&config.database);
    let applied = db
        .run_blocking(migrations::run_pending)
        .map_err(|e| format!("{}: {e}", config.database.describe()))?;
    if applied.is_empty() {
        println!("{}: up to date", config.database.describe());
    } else {
        println!("{}: applied {}", config.database.describe(), applied.join(", "));
    }
    Ok(())
}

fn create_user(email: String, role: Role, municipality_names: Vec<String>) -> Result<(), String> {
    let config = load_config()?;
    let password = match std::env::var("WOONSERVICE_PASSWORD") {
        Ok(p) if !p.is_empty() => p,
        _ => ask_password()?,
    };
    let ctx = startup::prepare_command(&config).map_err(|e| e.to_string())?;
    let account = StaffAccount {
        email,
        password,
        role,
        municipality_names,
    };
    let now = ctx.clock.now();
    let user = ctx
        .db
        .run_blocking(move |conn| users::create_staff(conn, account, now))
        .map_err(describe)?;
    println!("created {} user {} (id {})", user.role, user.email, user.id);
    Ok(())
}

fn verify_vouchers() -> Result<(), String> {
    let config = load_config()?;
    let ctx = startup::prepare_command(&config).map_err(|e| e.to_string())?;
    let report = crate::service::vouchers::verify(&ctx.db).map_err(describe)?;
    let rebuilt: Vec<String> = report
        .rebuilt
        .iter()
        .map(|(status, n)| format!("{status} {n}"))
        .collect();
    println!(
        "checked {} voucher(s) of {} client(s) against {} ledger event(s): {}",
        report.vouchers,
        report.clients,
        report.events,
        rebuilt.join(", ")
    );
    if report.mismatches.is_empty() {
        println!("ledger and stored state agree");
        Ok(())
    } else {
        for mismatch in &report.mismatches {
            println!("MISMATCH {mismatch}");
        }
        Err(format!(
            "{} voucher(s) differ from their ledger",
            report.mismatches.len()
        ))
    }
}

fn seed_data(scale: Scale, seed: u64) -> Result<(), String> {
    let config = load_config()?;
    let ctx = startup::prepare_command(&config).map_err(|e| e.to_string())?;
    let report = crate::seed::seed(&ctx.db, scale, seed, ctx.clock.now()).map_err(describe)?;
    for line in report.lines {
        println!("{line}");
    }
    Ok(())
}

fn run_job(job: Job) -> Result<(), String> {
    let config = load_config()?;
    let ctx = startup::prepare_command(&config).map_err(|e| e.to_string())?;
    let summary = job.run(&ctx).map_err(describe)?;
    println!("{}: {summary}", job.name());
    Ok(())
}

fn ask_password() -> Result<String, String> {
    let no_terminal = |e: std::io::Error| format!("set WOONSERVICE_PASSWORD or run in a terminal to be asked ({e})");
    let first = rpassword::prompt_password("Password: ").map_err(no_terminal)?;
    let second = rpassword::prompt_password("Repeat password: ").map_err(no_terminal)?;
    if first != second {
        return Err("the passwords differ".into());
    }
    Ok(first)
}

fn describe(e: crate::error::AppError) -> String {
    match e {
        crate::error::AppError::Validation(errors) => errors
            .iter()
            .map(|f| format!("{}: {}", f.field, f.message))
            .collect::<Vec<_>>()
            .join("; "),
        other => other.to_string(),
    }
}

fn serve(load_demo: bool) -> Result<(), String> {
    let config = load_config()?;
    let ctx = startup::prepare(&config).map_err(|e| e.to_string())?;
    if load_demo {
        let now = ctx.clock.now();
        let loaded = ctx
            .db
            .run_blocking(move |conn| demo::load(conn, now))
            .map_err(describe)?;
        tracing::info!(parts = ?loaded, "demo data loaded (parts loaded before are skipped)");
    }
    actix_web::rt::System::new().block_on(async move {
        if load_demo && demo::activity::load(&ctx).await.map_err(describe)? {
            tracing::info!("demo activity loaded: vouchers sold, requests routed and scheduled");
        }
        if load_demo && demo::hand_overs::load(&ctx).await.map_err(describe)? {
            tracing::info!("demo hand-overs loaded: a referral waiting, one past its deadline");
        }
        if load_demo && demo::visits::load(&ctx).await.map_err(describe)? {
            tracing::info!("demo visits loaded: a jobseeker's accept waiting for her coach");
        }
        let background = startup::Background::start(&ctx, &config, true).map_err(|e| e.to_string())?;
        if !background.sends_mail() {
            tracing::warn!("SMTP_URL is not set: no mail is sent; mails stay queued in the outbox");
        }
        let app = Application::build(&config, ctx, None).map_err(|e| e.to_string())?;
        print_banner(app.address(), load_demo, background.sends_mail());
        // On SIGTERM or SIGINT the server stops taking requests and finishes those in
        // flight; then the mail worker finishes the mail it is sending.
        let served = app.run_until_stopped().await.map_err(|e| e.to_string());
        background.stop().await;
        tracing::info!("stopped");
        served
    })
}

fn print_banner(address: std::net::SocketAddr, with_demo: bool, sends_mail: bool) {
    println!("woonservice is listening on http://{address}");
    println!("  API documentation: http://{address}/docs");
    if !sends_mail {
        println!("  Mail: SMTP_URL is not set, so mails stay queued (see GET /api/v1/admin/outbox)");
    }
    if with_demo {
        println!("  Demo logins (password '{}'):", demo::DEMO_PASSWORD);
        for login in &demo::LOGINS {
            println!("    {:<12} {:<44} {}", login.role.as_str(), login.email, login.who);
        }
    }
}
