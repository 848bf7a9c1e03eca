package dev.greenlight.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One Greenlight is another's refresh target: a flip on one reaches the other at once, and is recorded. */
class FanoutEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = "fanout-e2e-key-0123456789";
    RunningApp target;
    RunningApp source;

    @AfterEach
    void stop() {
        if (source != null) {
            source.close();
        }
        if (target != null) {
            target.close();
        }
    }

    @Test
    void a_promotion_refreshes_the_target_instance_and_records_its_confirmation() throws IOException {
        // The target polls only every hour: the refresh call is what moves it.
        target = new RunningApp(Map.of("GREENLIGHT_REFRESH_KEY", KEY, "GREENLIGHT_POINTER_TTL", "3600"));
        source = new RunningApp(target.data, Map.of("GREENLIGHT_REFRESH_KEY", KEY,
                "GREENLIGHT_REFRESH_TARGETS", target.host.baseUri() + "/api/refresh-model"));
        assertThat(target.versionServed()).isEqualTo("1");
        source.registerDemo("iris-clf-2.onnx", Map.of("f1", "0.9778"), Map.of());

        var promoted = source.post("/api/promote", "{\"model\": \"iris-clf\", \"version\": \"2\"}",
                "x-functions-key", source.host.keys().adminKey());

        assertThat(promoted.statusCode()).as(promoted.body()).isEqualTo(200);
        assertThat(target.awaitVersion("2", Duration.ofSeconds(10))).isEqualTo("2");
        JsonNode refresh = source.awaitRefresh(1, Duration.ofSeconds(10));
        assertThat(refresh.size()).isEqualTo(1);
        assertThat(refresh.get(0).path("target").asText()).endsWith("/api/refresh-model");
        assertThat(refresh.get(0).path("status").asInt()).isIn(200, 202);
    }


}
