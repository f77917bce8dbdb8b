//! The `boardpress` command: parses arguments, calls the library, prints the
//! result and sets the exit code (0 ok, 1 content or write errors, 2 usage).

use std::path::PathBuf;
use std::process::ExitCode;

use boardpress::{BuildOptions, Error};
use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "boardpress",
    version,
    about = "Publish safeguarding boards' plans and reports as an accessible website"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site from content/ into output/.
    Build {
        /// The site's folder (holding content/); the current folder by default.
        #[arg(long)]
        root: Option<PathBuf>,
        /// Where to write the site; <root>/output by default.
        #[arg(long)]
        output: Option<PathBuf>,
    },
    /// Check the content for errors without writing anything.
    Check {
        #[arg(long)]
        root: Option<PathBuf>,
    },
    /// Create a small starter site in a new or empty folder.
    Init {
        /// The folder to create the site in.
        dir: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build { root, output } => {
            report(boardpress::build(&BuildOptions::new(root, output)).map(|r| r.summary()))
        }
        Command::Check { root } => {
            report(boardpress::check(&BuildOptions::new(root, None)).map(|r| {
                format!(
                    "No problems found: {} document(s), {} page(s) would be built.",
                    r.documents, r.pages
                )
            }))
        }
        Command::Init { dir } => match boardpress::init::init(&dir) {
            Ok(()) => {
                println!(
                    "Created a starter site in {}. Build it with: boardpress build --root {}",
                    dir.display(),
                    dir.display()
                );
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::from(2)
            }
        },
    }
}

fn report(result: Result<String, Error>) -> ExitCode {
    match result {
        Ok(summary) => {
            println!("{summary}");
            ExitCode::SUCCESS
        }
        Err(Error::Refused(why)) => {
            eprintln!("error: {why}");
            ExitCode::from(2)
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(1)
        }
    }
}
