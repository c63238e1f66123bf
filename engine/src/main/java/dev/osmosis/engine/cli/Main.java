package dev.osmosis.engine.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ./osmosis <command>}: the engine's command line. */
@Command(name = "osmosis", mixinStandardHelpOptions = true, version = "Osmosis Studio engine 0.1",
        description = "Diffusion image generation on the local machine.",
        subcommands = {GenerateCommand.class, BenchCommand.class, TrainCommand.class, EvalCommand.class,
            CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code (tests call this instead of main). */
    public static int run(String... args) {
        return new CommandLine(new Main())
                .setExecutionExceptionHandler(new ErrorReporter())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
