package dev.greenlight.local.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

/** The CLI run in-process, as {@code ./greenlight} runs it, with both streams captured. */
record Cli(int exit, String out, String err) {

    static Cli run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                .execute(args);
        return new Cli(exit, out.toString(), err.toString());
    }

    List<String> errLines() {
        return err.lines().toList();
    }
}
