package dev.greenlight.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.greenlight.fanout.RefreshSignature;
import dev.greenlight.registry.LocalModelRegistry;
import dev.greenlight.registry.ModelVersion;
import dev.greenlight.store.LocalDocumentStore;
import dev.greenlight.store.Pointer;
import dev.greenlight.store.PointerStore;
import dev.greenlight.store.Versioned;
import dev.greenlight.demo.DemoModels;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The signed refresh contract, as an external caller (another Greenlight) would use it. */
class RefreshModelEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = "e2e-refresh-key-0123456789";
    RunningApp app;
    RefreshSignature signer = new RefreshSignature(KEY);

    @BeforeEach
    void start() throws IOException {
        // A long TTL: only the refresh call makes the instance look at its pointer.
        app = new RunningApp(Map.of("GREENLIGHT_REFRESH_KEY", KEY, "GREENLIGHT_POINTER_TTL", "3600"));
        assertThat(app.versionServed()).isEqualTo("1");
    }

    @AfterEach
    void stop() {
        app.close();
    }

    @Test
    void a_signed_refresh_makes_the_instance_serve_the_new_pointer_and_a_storm_loads_it_once() throws Exception {
        ModelVersion v2 = pointAtVersion2();
        String body = body(v2, 2);

        List<Future<HttpResponse<String>>> storm = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            for (int i = 0; i < 1000; i++) {
                storm.add(pool.submit(() -> refresh(body, signer.sign(body, Instant.now()))));
            }
            for (Future<HttpResponse<String>> f : storm) {
                assertThat(f.get().statusCode()).isIn(200, 202);
            }
        } finally {
            pool.shutdownNow();
        }
        HttpResponse<String> settled = refresh(body, signer.sign(body, Instant.now()));

        assertThat(settled.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(settled.body()).path("version").asText()).isEqualTo("2");
        assertThat(app.awaitVersion("2", Duration.ofSeconds(5))).isEqualTo("2");
        JsonNode status = JSON.readTree(app.getWithKey("/api/status").body()).path("models").get(0);
        assertThat(status.path("loads").asLong()).isEqualTo(2); // version 1 at start, version 2 once
    }

    @Test
    void an_older_generation_is_409() throws IOException {
        ModelVersion v2 = pointAtVersion2();
        String body = body(v2, 1);

        assertThat(refresh(body, signer.sign(body, Instant.now())).statusCode()).isEqualTo(409);
    }

    @Test
    void a_missing_wrong_or_stale_signature_is_401_and_changes_nothing() throws IOException {
        ModelVersion v2 = pointAtVersion2();
        String body = body(v2, 2);

        assertThat(refresh(body, null).statusCode()).isEqualTo(401);
        assertThat(refresh(body, new RefreshSignature("some-other-key-0123456").sign(body, Instant.now())).statusCode())
                .isEqualTo(401);
        assertThat(refresh(body, signer.sign(body, Instant.now().minusSeconds(600))).statusCode()).isEqualTo(401);
        assertThat(refresh(body, "t=1,v1=zz").statusCode()).isEqualTo(401);
        assertThat(app.versionServed()).isEqualTo("1");
    }

    private ModelVersion pointAtVersion2() throws IOException {
        LocalModelRegistry registry = new LocalModelRegistry(Path.of(app.settings.get("GREENLIGHT_REGISTRY")));
        PointerStore pointers = new PointerStore(new LocalDocumentStore(Path.of(app.settings.get("GREENLIGHT_STORE"))));
        Path file = app.data.resolve("v2.onnx");
        Files.write(file, DemoModels.bytes("iris-clf-2.onnx"));
        ModelVersion v2 = registry.register("iris-clf", file, Map.of(), Map.of(), null);
        Versioned<Pointer> current = pointers.read("iris-clf").orElseThrow();
        pointers.write(new Pointer("iris-clf", v2.version(), v2.sha256(), 2, Instant.now()), current.etag());
        return v2;
    }

    private static String body(ModelVersion v, long generation) {
        return "{\"model\":\"iris-clf\",\"version\":\"" + v.version() + "\",\"sha256\":\"" + v.sha256()
                + "\",\"generation\":" + generation + "}";
    }

    private HttpResponse<String> refresh(String body, String signature) {
        return signature == null ? app.post("/api/refresh-model", body)
                : app.post("/api/refresh-model", body, RefreshSignature.HEADER, signature);
    }
}
