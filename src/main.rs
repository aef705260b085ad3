fn main() -> std::process::ExitCode {
    triage::cli::main()
}
