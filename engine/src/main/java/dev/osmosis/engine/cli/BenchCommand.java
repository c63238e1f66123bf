package dev.osmosis.engine.cli;

import picocli.CommandLine.Command;

/** {@code ./osmosis bench ...}: performance measurements, each against a baseline of the same run. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks: ratios against a baseline measured in the same run.",
        subcommands = {UNetBenchCommand.class, AcceleratorBenchCommand.class})
public final class BenchCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
