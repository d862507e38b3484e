fn main() -> std::process::ExitCode {
    woonservice::cli::main()
}
