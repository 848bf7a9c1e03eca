package dev.greenlight.local.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code greenlight}: the local host and the operator's commands. */
@Command(name = "greenlight", mixinStandardHelpOptions = true, version = "greenlight 0.1.0",
        description = "Blue-green promotion and ONNX serving for Azure ML models.",
        subcommands = {StartCommand.class, RegisterCommand.class, OperatorCommands.Status.class,
                OperatorCommands.Decisions.class, OperatorCommands.Promote.class, OperatorCommands.Rollback.class,
                SyncCommand.class})
public final class Main implements Runnable {

    public static void main(String[] args) {
        // One line per log record, before anything logs.
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tT %4$-7s %3$s: %5$s%6$s%n");
        }
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
