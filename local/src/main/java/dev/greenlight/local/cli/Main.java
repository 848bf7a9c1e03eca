package dev.greenlight.local.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * {@code greenlight}: the local host and the operator's commands. {@code --version} is always a
 * model version (promote, rollback); the CLI's own version is {@code --cli-version} or
 * {@code greenlight version}, so the two can never be mistaken for each other.
 */
@Command(name = "greenlight", version = "greenlight 0.1.0",
        description = "Blue-green promotion and ONNX serving for Azure ML models.",
        subcommands = {StartCommand.class, RegisterCommand.class, OperatorCommands.Status.class,
                OperatorCommands.Decisions.class, OperatorCommands.Promote.class, OperatorCommands.Rollback.class,
                SyncCommand.class, Main.Version.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done (promoted, pending, skipped, rolled back)", "2:bad input or unknown version",
                "3:rejected by the gate", "4:the running Greenlight could not be reached", "5:refused by the host"})
public final class Main implements Runnable {
    @Option(names = {"-h", "--help"}, usageHelp = true, scope = ScopeType.INHERIT, description = "Show this help.")
    boolean help;

    @Option(names = "--cli-version", versionHelp = true, description = "Print the CLI's own version.")
    boolean cliVersion;

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        // One line per log record, before anything logs.
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tT %4$-7s %3$s: %5$s%6$s%n");
        }
        System.exit(commandLine().execute(args));
    }

    /** The command line with its error handling: a bad argument is one line on the error stream and exit code 2. */
    public static CommandLine commandLine() {
        return new CommandLine(new Main()).setParameterExceptionHandler(Main::invalidInput);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    private static int invalidInput(ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        String name = command.getCommandSpec().qualifiedName();
        PrintWriter err = command.getErr();
        if (e instanceof UnmatchedArgumentException unmatched && asksForVersion(unmatched.getUnmatched())) {
            // -V and --version used to print the CLI's own version on every command: say where that went.
            err.println(name + ": unknown option " + unmatched.getUnmatched().get(0) + "; --version names a model"
                    + " version and only promote and rollback take one (the CLI's own version: greenlight --cli-version)");
        } else {
            err.println(name + ": " + e.getMessage() + " (see: " + name + " --help)");
        }
        err.flush();
        return command.getCommandSpec().exitCodeOnInvalidInput();
    }

    private static boolean asksForVersion(List<String> unmatched) {
        String first = unmatched.isEmpty() ? "" : unmatched.get(0);
        return first.equals("-V") || first.equals("--version") || first.startsWith("--version=");
    }

    /** {@code greenlight version}: the CLI's own version. */
    @Command(name = "version", description = "Print the CLI's own version.")
    static final class Version implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            spec.root().commandLine().printVersionHelp(spec.commandLine().getOut());
            return 0;
        }
    }
}
