package dev.greenlight.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.greenlight.local.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the operator reads from the CLI against the packaged app: nothing that misleads. */
class OperatorCommandsEndToEndTest {
    RunningApp app;

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void a_fresh_host_says_it_has_no_decisions_yet_and_status_reads_as_prose() throws IOException {
        app = new RunningApp(Map.of("GREENLIGHT_MODELS", "iris-clf,spare-clf"));

        Cli none = cli("decisions", "--model", "spare-clf");
        Cli adopted = cli("decisions");
        Cli status = cli("status");

        assertThat(none.exit).as(none.err).isZero();
        assertThat(none.out.strip()).isEqualTo("no decisions yet for spare-clf");
        // The seeded baseline was adopted on first sight: that is the only decision so far.
        assertThat(adopted.out).contains("iris-clf:1 ADOPTED - adopted version 1 from the baseline pointer");
        assertThat(status.exit).as(status.err).isZero();
        assertThat(status.out).doesNotContain("{").contains("iris-clf: serving version 1 (generation 1");
    }

    @Test
    void a_candidate_a_hair_under_the_floor_is_rejected_with_the_digits_that_decided_it() throws IOException {
        app = new RunningApp(Map.of());

        Cli worse = cli("register", demo("iris-clf-2.onnx"), "-m", "f1=0.84999");

        assertThat(worse.exit).as(worse.err).isEqualTo(3);
        assertThat(worse.out).contains("iris-clf:2 REJECTED", "f1=0.84999 (required >= 0.85)", "baseline stays 1")
                .doesNotContain("1 -> 1");
    }

    @Test
    void a_pending_candidate_prints_the_command_that_approves_it() throws IOException {
        app = new RunningApp(Map.of("GREENLIGHT_GATE", "{\"mode\": \"manual\"}"));

        Cli registered = cli("register", demo("iris-clf-2.onnx"), "-m", "f1=0.9778");
        assertThat(registered.out).contains("iris-clf:2 PENDING", "baseline stays 1",
                "approve with: greenlight promote --model iris-clf --version 2");

        Cli approved = cli("promote", "--model", "iris-clf", "--version", "2");
        assertThat(approved.exit).as(approved.err).isZero();
        assertThat(approved.out).contains("iris-clf:2 PROMOTED - approved", "baseline 1 -> 2");
    }

    @Test
    void a_version_whose_artifact_is_gone_is_reported_as_not_found_where_it_was_looked_for() throws IOException {
        app = new RunningApp(Map.of());
        cli("register", demo("iris-clf-2.onnx"), "-m", "f1=0.9778", "--no-event");
        Path artifact = app.data.resolve("registry/iris-clf/2/model.onnx").toAbsolutePath();
        Files.delete(artifact);

        Cli promote = cli("promote", "--version", "2");

        assertThat(promote.exit).as(promote.err).isEqualTo(3);
        assertThat(promote.err).contains("gate_rejected", "failed smoke (failed: artifact of iris-clf:2 not found at "
                + artifact + ",");
    }

    private String demo(String file) {
        return app.data.resolve("demo").resolve(file).toString();
    }

    private Cli cli(String... args) {
        String[] full = new String[args.length + 4];
        System.arraycopy(args, 0, full, 0, args.length);
        full[args.length] = "--url";
        full[args.length + 1] = app.host.baseUri().toString();
        full[args.length + 2] = "--data";
        full[args.length + 3] = app.data.toString();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(full);
        return new Cli(exit, out.toString(), err.toString());
    }

    private record Cli(int exit, String out, String err) {
    }
}
