package dev.greenlight.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** A stopped host leaves no thread of its own or of the app it ran. */
class OwnedResourcesEndToEndTest {
    private static final String KEY = "owned-resources-refresh-key-01";

    @Test
    void stopping_the_host_stops_every_thread_the_host_and_the_app_started() throws IOException {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        RunningApp app = new RunningApp(Map.of("GREENLIGHT_REFRESH_KEY", KEY,
                "GREENLIGHT_REFRESH_TARGETS", "http://127.0.0.1:9/api/refresh-model"));
        app.registerDemo("iris-clf-2.onnx", Map.of("f1", "0.9778"), Map.of());
        // Every part runs at least once: serving, polling, promotion and its fan-out, the timer.
        assertThat(app.versionServed()).isEqualTo("1");
        assertThat(app.post("/api/promote", "{\"model\": \"iris-clf\", \"version\": \"2\"}", "x-functions-key",
                app.host.keys().adminKey(), "Content-Type", "application/json").statusCode()).isEqualTo(200);
        app.host.triggerTimer("SyncCheck");
        assertThat(started(before)).isNotEmpty();

        app.close();

        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(started(before)).isEmpty());
    }

    /** Names of live threads that were not running before the host started. */
    private static List<String> started(Set<Thread> before) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.isAlive() && !before.contains(t))
                // the test's own HTTP client and waiter, and the JDK's shared pools
                .filter(t -> !t.getName().startsWith("HttpClient-") && !t.getName().startsWith("awaitility")
                        && !t.getName().startsWith("ForkJoinPool") && !t.getName().startsWith("process reaper"))
                .map(Thread::getName).sorted().collect(Collectors.toList());
    }
}
