package dev.osmosis.engine.cli;

import picocli.CommandLine.Command;

/** {@code ./osmosis train ...}: training recipes run by the engine itself. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train models with the engine's own training code (DJL autograd, CPU or GPU).",
        subcommands = {TrainShapesCommand.class})
public final class TrainCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
