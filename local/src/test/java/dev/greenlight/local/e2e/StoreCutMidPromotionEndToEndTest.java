package dev.greenlight.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.greenlight.app.Stores;
import dev.greenlight.events.EventScope;
import dev.greenlight.store.PointerStore;
import dev.greenlight.store.blob.Azurite;
import dev.greenlight.store.blob.AzuriteExtension;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Blob store (Azurite) goes away in the middle of a promotion, at the moment the pointer is
 * written, and comes back: the delivery fails so Event Grid retries, Predict keeps answering
 * with the last good model, and the redelivery completes the flip exactly once.
 */
@ExtendWith(AzuriteExtension.class)
class StoreCutMidPromotionEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void a_store_cut_at_the_pointer_write_fails_the_delivery_keeps_serving_and_the_retry_completes_the_flip(
            Azurite azurite) throws Exception {
        int azuritePort = URI.create(azurite.blobEndpoint()).getPort();
        String container = "cut-" + UUID.randomUUID();
        try (CuttableProxy proxy = new CuttableProxy(azuritePort);
             RunningApp app = new RunningApp(Map.of("GREENLIGHT_STORE", azurite.connectionString()
                     .replace(":" + azuritePort + "/", ":" + proxy.port() + "/") + ";Container=" + container))) {
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> app.get("/api/health").statusCode() == 200);
            app.registerDemo("iris-clf-2.onnx", Map.of("f1", "0.9778"), Map.of("dynamic", "true"));
            AtomicBoolean done = new AtomicBoolean();
            AtomicInteger served = new AtomicInteger();
            List<String> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
            ExecutorService load = Executors.newFixedThreadPool(2);
            List<Future<?>> clients = new ArrayList<>();
            for (int c = 0; c < 2; c++) {
                clients.add(load.submit(() -> {
                    while (!done.get()) {
                        HttpResponse<String> r = app.postWithKey("/api/predict", "{\"instances\": [[5.1, 3.5, 1.4, 0.2]]}");
                        if (r.statusCode() == 200) {
                            served.incrementAndGet();
                        } else {
                            failures.add(r.statusCode() + " " + r.body());
                        }
                    }
                    return null;
                }));
            }
            try {
                // The pointer's write (the blob name may arrive with its '/' encoded).
                proxy.cutAt(request -> request.startsWith("PUT ") && request.contains(container)
                        && request.replace("%2F", "/").contains("pointers/iris-clf.json"));
                HttpResponse<String> first = deliver(app, event("cut-1"));

                assertThat(first.statusCode()).as(first.body()).isEqualTo(500); // Event Grid will deliver it again
                assertThat(proxy.isCut()).isTrue();
                assertThat(app.versionServed()).isEqualTo("1");

                proxy.restore();
                HttpResponse<String> retried = deliver(app, event("cut-1"));

                assertThat(retried.statusCode()).as(retried.body()).isEqualTo(202);
                assertThat(app.awaitVersion("2", Duration.ofSeconds(10))).isEqualTo("2");
            } finally {
                done.set(true);
                for (Future<?> client : clients) {
                    client.get(30, TimeUnit.SECONDS);
                }
                load.shutdownNow();
            }
            var pointer = new PointerStore(Stores.from(azurite.connectionString() + ";Container=" + container))
                    .read("iris-clf").orElseThrow().value();
            JsonNode decisions = JSON.readTree(app.getWithKey("/api/decisions?model=iris-clf&limit=50").body())
                    .path("decisions");
            long judgements = 0;
            for (JsonNode d : decisions) {
                if ("2".equals(d.path("version").asText()) && d.path("actor").asText().startsWith("event:")) {
                    judgements++;
                }
            }
            System.out.printf("store cut mid-promotion: %d predictions served meanwhile, %d failed; version 2 judged %d"
                    + " time(s); pointer %s at generation %d%n", served.get(), failures.size(), judgements,
                    pointer.version(), pointer.generation());
            assertThat(failures).isEmpty();
            assertThat(served.get()).isPositive();
            assertThat(judgements).isEqualTo(1);
            assertThat(pointer.version()).isEqualTo("2");
            assertThat(pointer.generation()).isEqualTo(2);
        }
    }

    private static HttpResponse<String> deliver(RunningApp app, String event) {
        return app.post("/runtime/webhooks/eventgrid?functionName=OnModelRegistered&code=" + app.host.keys().eventGridKey(),
                event, "aeg-event-type", "Notification", "Content-Type", "application/json");
    }

    private static String event(String id) {
        return """
                [{"id": "%s", "topic": "%s", "subject": "models/iris-clf:2",
                  "eventType": "Microsoft.MachineLearningServices.ModelRegistered", "eventTime": "2026-12-03T00:00:00Z",
                  "data": {"modelName": "iris-clf", "modelVersion": "2"}, "dataVersion": "2", "metadataVersion": "1"}]"""
                .formatted(id, EventScope.LOCAL_TOPIC);
    }
}
