package dev.greenlight.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.greenlight.local.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The story of the README, through the packaged app on the local host and the real CLI:
 * register a better version, a worse one, manual approval, rollback, duplicate delivery.
 */
class PromotionEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    RunningApp app;

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void a_better_version_is_promoted_and_served_within_a_second_a_worse_one_rejected_and_rollback_restores()
            throws IOException {
        app = new RunningApp(Map.of());

        Cli better = cli("register", demo("iris-clf-2.onnx"), "-m", "f1=0.9778", "-m", "accuracy=0.9778");
        long flipped = System.nanoTime();
        assertThat(better.exit).as(better.out).isZero();
        assertThat(better.out).contains("iris-clf:2 PROMOTED");
        assertThat(app.awaitVersion("2", Duration.ofSeconds(1))).isEqualTo("2");
        assertThat(Duration.ofNanos(System.nanoTime() - flipped)).isLessThan(Duration.ofSeconds(1));

        Cli worse = cli("register", demo("iris-clf-3.onnx"), "-m", "f1=0.8086");
        assertThat(worse.exit).isEqualTo(3);
        assertThat(worse.out).contains("iris-clf:3 REJECTED", "FAIL floor", "f1=0.8086");
        assertThat(app.versionServed()).isEqualTo("2");

        Cli rollback = cli("rollback");
        assertThat(rollback.exit).as(rollback.err).isZero();
        assertThat(rollback.out).contains("ROLLED_BACK", "baseline 2 -> 1");
        assertThat(app.versionServed()).isEqualTo("1");

        Cli decisions = cli("decisions", "--limit", "10");
        assertThat(decisions.out).contains("ROLLED_BACK", "REJECTED", "PROMOTED");
    }

    @Test
    void manual_mode_keeps_a_passing_candidate_pending_until_promote() throws IOException {
        app = new RunningApp(Map.of("GREENLIGHT_GATE", "{\"mode\": \"manual\"}"));

        Cli registered = cli("register", demo("iris-clf-2.onnx"), "-m", "f1=0.9778");
        assertThat(registered.out).contains("iris-clf:2 PENDING");
        assertThat(app.versionServed()).isEqualTo("1");

        Cli promoted = cli("promote", "--version", "2");
        assertThat(promoted.exit).as(promoted.err).isZero();
        assertThat(promoted.out).contains("iris-clf:2 PROMOTED - approved");
        assertThat(app.versionServed()).isEqualTo("2");
    }

    @Test
    void the_same_event_delivered_twice_is_decided_once() throws IOException {
        app = new RunningApp(Map.of());
        cli("register", demo("iris-clf-2.onnx"), "-m", "f1=0.9778", "--no-event");
        String event = """
                [{"id": "dup-1", "topic": "/subscriptions/local/resourceGroups/local/providers/Microsoft.MachineLearningServices/workspaces/local",
                  "subject": "models/iris-clf:2", "eventType": "Microsoft.MachineLearningServices.ModelRegistered",
                  "eventTime": "2026-11-25T00:00:00Z", "data": {"ModelName": "iris-clf", "ModelVersion": 2},
                  "dataVersion": "", "metadataVersion": "1"}]""";
        String webhook = "/runtime/webhooks/eventgrid?functionName=OnModelRegistered&code=" + app.host.keys().eventGridKey();

        HttpResponse<String> first = app.post(webhook, event, "aeg-event-type", "Notification");
        HttpResponse<String> second = app.post(webhook, event, "aeg-event-type", "Notification");

        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(second.statusCode()).isEqualTo(202);
        JsonNode decisions = JSON.readTree(app.getWithKey("/api/decisions?model=iris-clf").body()).path("decisions");
        // Newest first: the one judgement of version 2, then the adoption of the seeded baseline.
        assertThat(decisions.size()).isEqualTo(2);
        assertThat(decisions.get(0).path("actor").asText()).isEqualTo("event:dup-1");
        assertThat(decisions.get(1).path("outcome").asText()).isEqualTo("ADOPTED");
    }

    @Test
    void promote_or_rollback_to_an_unknown_version_is_404_json() throws IOException {
        app = new RunningApp(Map.of());
        String admin = app.host.keys().adminKey();

        HttpResponse<String> promote = app.post("/api/promote", "{\"model\": \"iris-clf\", \"version\": \"42\"}",
                "x-functions-key", admin);
        HttpResponse<String> rollback = app.post("/api/rollback", "{\"model\": \"iris-clf\", \"toVersion\": \"42\"}",
                "x-functions-key", admin);
        HttpResponse<String> withFunctionKey = app.post("/api/promote", "{\"model\": \"iris-clf\", \"version\": \"1\"}",
                "x-functions-key", app.functionKey());

        assertThat(promote.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(promote.body()).path("error").asText()).isEqualTo("unknown_version");
        assertThat(rollback.statusCode()).isEqualTo(404);
        assertThat(withFunctionKey.statusCode()).isEqualTo(401);
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
        int exit = new CommandLine(new Main()).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                .execute(full);
        return new Cli(exit, out.toString(), err.toString());
    }

    private record Cli(int exit, String out, String err) {
    }


}
