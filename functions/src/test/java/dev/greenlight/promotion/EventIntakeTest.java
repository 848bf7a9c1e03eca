package dev.greenlight.promotion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.greenlight.demo.DemoManifest;
import dev.greenlight.demo.DemoModels;
import dev.greenlight.events.EventScope;
import dev.greenlight.gate.Gate;
import dev.greenlight.gate.GatePolicy;
import dev.greenlight.registry.LocalModelRegistry;
import dev.greenlight.serving.ModelLoader;
import dev.greenlight.store.ArtifactCache;
import dev.greenlight.store.DocumentStore;
import dev.greenlight.store.PointerStore;
import dev.greenlight.store.StoreUnavailable;
import dev.greenlight.store.Versioned;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad events are acknowledged with a reason; a dependency failure propagates so Event Grid retries. */
class EventIntakeTest {
    private static final String REGISTERED = """
            [{"id": "e1", "topic": "/subscriptions/local/resourceGroups/local/providers/Microsoft.MachineLearningServices/workspaces/local",
              "subject": "models/%s:1", "eventType": "Microsoft.MachineLearningServices.ModelRegistered",
              "eventTime": "2026-11-25T00:00:00Z", "data": {"modelName": "%s", "modelVersion": "1"},
              "dataVersion": "2", "metadataVersion": "1"}]""";

    @TempDir
    Path dir;

    private EventIntake intake(DocumentStore documents) {
        LocalModelRegistry registry = new LocalModelRegistry(dir.resolve("registry"));
        PromotionService promotion = PromotionService.builder().models(List.of("iris-clf")).registry(registry)
                .ledgers(new LedgerStore(documents)).pointers(new PointerStore(documents))
                .probe(new CandidateProbe(registry, new ArtifactCache(dir.resolve("cache")),
                        new ModelLoader(1, Clock.systemUTC()), "")).gate(new Gate(GatePolicy.defaults())).build();
        return new EventIntake(promotion, EventScope.of(dir.resolve("registry").toString()));
    }

    @Test
    void acknowledges_unparseable_unknown_model_and_unhandled_type_with_their_reason() {
        EventIntake intake = intake(new dev.greenlight.store.LocalDocumentStore(dir.resolve("store")));

        assertThat(intake.handle("{not json")).singleElement().asString().contains("unusable delivery");
        assertThat(intake.handle(REGISTERED.formatted("other-model", "other-model"))).singleElement().asString()
                .contains("'other-model' is not managed here");
        assertThat(intake.handle(REGISTERED.formatted("iris-clf", "iris-clf")
                .replace("ModelRegistered", "ModelDeployed"))).singleElement().asString().contains("is not handled");
    }

    @Test
    void a_store_that_cannot_be_reached_fails_the_delivery_so_event_grid_retries() throws java.io.IOException {
        DocumentStore down = new DocumentStore() {
            @Override
            public Optional<Versioned<byte[]>> read(String name) {
                throw new StoreUnavailable("store down", null);
            }

            @Override
            public Optional<Versioned<byte[]>> readIfChanged(String name, String knownEtag) {
                throw new StoreUnavailable("store down", null);
            }

            @Override
            public String write(String name, byte[] content, String expectedEtag) {
                throw new StoreUnavailable("store down", null);
            }
        };

        new PromotionFixture(dir).register(1);

        assertThatThrownBy(() -> intake(down).handle(REGISTERED.formatted("iris-clf", "iris-clf")))
                .isInstanceOf(StoreUnavailable.class);
    }

    @Test
    void a_model_registered_from_another_workspace_is_acknowledged_and_never_judged() throws IOException {
        register(1);
        EventIntake intake = intake(new dev.greenlight.store.LocalDocumentStore(dir.resolve("store")));
        String foreign = REGISTERED.formatted("iris-clf", "iris-clf")
                .replace("/resourceGroups/local/providers/Microsoft.MachineLearningServices/workspaces/local",
                        "/resourceGroups/other/providers/Microsoft.MachineLearningServices/workspaces/other");

        assertThat(intake.handle(foreign)).singleElement().asString()
                .contains("refused").contains("workspaces/other").contains("acknowledged");
        assertThat(filesUnder(dir.resolve("store"))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"../../x", "/etc/passwd", "..%2F..%2Fx", "%2e%2e", "", "12345678901234567890123456789012345678901234567890123456789012345"})
    void an_event_naming_a_junk_version_is_refused_before_anything_is_written(String version) throws IOException {
        register(1);
        EventIntake intake = intake(new dev.greenlight.store.LocalDocumentStore(dir.resolve("store")));
        String event = REGISTERED.formatted("iris-clf", "iris-clf").replace("\"modelVersion\": \"1\"",
                "\"modelVersion\": \"" + version + "\"");

        assertThat(intake.handle(event)).singleElement().asString().contains("refused").contains("version");
        assertThat(filesUnder(dir.resolve("store"))).isEmpty();
    }

    @Test
    void a_batch_with_non_object_elements_still_judges_its_good_event_and_refuses_each_other_element() throws IOException {
        register(1);
        EventIntake intake = intake(new dev.greenlight.store.LocalDocumentStore(dir.resolve("store")));
        String good = REGISTERED.formatted("iris-clf", "iris-clf");
        String batch = good.substring(0, good.length() - 1) + ", 3, \"x\"]";

        List<String> lines = intake.handle(batch);

        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).contains("iris-clf:1 PROMOTED");
        assertThat(lines.get(1)).contains("#1").contains("not an event object");
        assertThat(lines.get(2)).contains("#2").contains("not an event object");
    }

    @Test
    void a_run_that_is_only_running_records_nothing_and_a_failed_one_is_recorded_once() throws IOException {
        var documents = new dev.greenlight.store.LocalDocumentStore(dir.resolve("store"));
        EventIntake intake = intake(documents);
        register(1);
        String running = STATUS.formatted("r1", EventScope.LOCAL_TOPIC, "Running");
        String failed = STATUS.formatted("r2", EventScope.LOCAL_TOPIC, "Failed");

        assertThat(intake.handle(running)).singleElement().asString().contains("is Running; nothing to do yet");
        assertThat(new LedgerStore(documents).read("iris-clf")).isEmpty();
        assertThat(intake.handle(failed)).singleElement().asString().contains("ended Failed; recorded");
        assertThat(intake.handle(failed)).singleElement().asString().contains("already recorded");
    }

    private static final String STATUS = """
            [{"id": "%s", "topic": "%s", "subject": "experiments/e/runs/run-1",
              "eventType": "Microsoft.MachineLearningServices.RunStatusChanged", "eventTime": "2026-12-03T00:00:00Z",
              "data": {"experimentId": "e", "experimentName": "x", "runId": "run-1", "runType": null, "runTags": {},
                       "runProperties": {}, "runStatus": "%s"},
              "dataVersion": "", "metadataVersion": "1"}]""";

    private void register(int demoVersion) throws IOException {
        DemoManifest.Version v = DemoModels.manifest().version(demoVersion);
        Path file = dir.resolve(v.file());
        Files.write(file, DemoModels.bytes(v.file()));
        new LocalModelRegistry(dir.resolve("registry")).register("iris-clf", file, v.properties(),
                Map.of("dynamic", "true"), null);
    }

    private static List<Path> filesUnder(Path root) throws IOException {
        if (!Files.exists(root)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }
}
