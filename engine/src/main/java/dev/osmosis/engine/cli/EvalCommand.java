package dev.osmosis.engine.cli;

import picocli.CommandLine.Command;

/** {@code ./osmosis eval ...}: measured quality of a model, by plain analysis of what it draws. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluate a model: generate known prompts and check the images.",
        subcommands = {EvalShapesCommand.class})
public final class EvalCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
