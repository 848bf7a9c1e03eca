package dev.greenlight.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Three instances (separate hosts in one JVM, each with its own class loader and model cache)
 * on one store: a promotion on one reaches the others by polling alone, within TTL + load time.
 */
class ConvergenceEndToEndTest {
    private static final String TTL_SECONDS = "0.5";
    private final List<RunningApp> instances = new ArrayList<>();

    @AfterEach
    void stop() {
        instances.forEach(RunningApp::close);
    }

    @Test
    void every_instance_serves_the_new_baseline_within_ttl_plus_load_time() throws IOException {
        RunningApp first = new RunningApp(Map.of("GREENLIGHT_POINTER_TTL", TTL_SECONDS));
        instances.add(first);
        instances.add(new RunningApp(first.data, Map.of("GREENLIGHT_POINTER_TTL", TTL_SECONDS)));
        instances.add(new RunningApp(first.data, Map.of("GREENLIGHT_POINTER_TTL", TTL_SECONDS)));
        instances.forEach(i -> assertThat(i.versionServed()).isEqualTo("1"));
        first.registerDemo("iris-clf-2.onnx", Map.of("f1", "0.9778"), Map.of());

        var promoted = first.post("/api/promote", "{\"model\": \"iris-clf\", \"version\": \"2\"}",
                "x-functions-key", first.host.keys().adminKey());
        long flipped = System.nanoTime();
        assertThat(promoted.statusCode()).as(promoted.body()).isEqualTo(200);

        // TTL 0.5 s + a load of well under a second; 5 s leaves room for a loaded CI machine.
        for (RunningApp instance : instances) {
            assertThat(instance.awaitVersion("2", Duration.ofSeconds(5))).isEqualTo("2");
        }
        Duration converged = Duration.ofNanos(System.nanoTime() - flipped);
        System.out.println("three instances converged in " + converged.toMillis() + " ms");
    }
}
