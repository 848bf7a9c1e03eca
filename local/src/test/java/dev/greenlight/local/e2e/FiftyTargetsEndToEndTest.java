package dev.greenlight.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A flip through the packaged app fans out to 50 loopback targets: the healthy, slow and flaky
 * ones confirm; the rejecting and dead ones are recorded, and the next SyncCheck after they
 * recover completes them.
 */
class FiftyTargetsEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = "fifty-targets-key-0123456789";
    TargetFarm farm;
    RunningApp app;

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
        if (farm != null) {
            farm.close();
        }
    }

    @Test
    void healthy_targets_confirm_the_rest_are_recorded_and_the_sync_check_completes_them() throws IOException {
        Map<String, Integer> counts = new LinkedHashMap<>();
        counts.put("healthy", 25);
        counts.put("slow", 10);
        counts.put("flaky", 10);
        counts.put("rejecting", 3);
        counts.put("dead", 2);
        farm = new TargetFarm(KEY, counts);
        app = new RunningApp(Map.of("GREENLIGHT_REFRESH_KEY", KEY,
                "GREENLIGHT_REFRESH_TARGETS", String.join(",", farm.urls)));
        app.registerDemo("iris-clf-2.onnx", Map.of("f1", "0.9778"), Map.of());

        var promoted = app.post("/api/promote", "{\"model\": \"iris-clf\", \"version\": \"2\"}", "x-functions-key",
                app.host.keys().adminKey());
        assertThat(promoted.statusCode()).as(promoted.body()).isEqualTo(200);
        assertThat(app.versionServed()).isEqualTo("2"); // the fan-out never holds up the flip

        JsonNode first = app.awaitRefresh(50, Duration.ofSeconds(60));
        for (JsonNode outcome : first) {
            String kind = farm.kindOf.get(outcome.path("target").asText());
            boolean shouldConfirm = Set.of("healthy", "slow", "flaky").contains(kind);
            assertThat(outcome.path("confirmed").asBoolean()).as(kind + " " + outcome).isEqualTo(shouldConfirm);
            if (kind.equals("flaky")) {
                assertThat(outcome.path("attempts").asInt()).isEqualTo(2);
            }
            if (kind.equals("rejecting")) {
                assertThat(outcome.path("status").asInt()).isEqualTo(401);
                assertThat(outcome.path("attempts").asInt()).isEqualTo(1);
            }
        }

        farm.recover();
        app.host.triggerTimer("SyncCheck");

        JsonNode after = app.latestRefresh();
        assertThat(after.size()).isEqualTo(50);
        for (JsonNode outcome : after) {
            assertThat(outcome.path("confirmed").asBoolean()).as(outcome.toString()).isTrue();
        }
    }


}
