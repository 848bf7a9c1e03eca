package dev.greenlight.promotion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.greenlight.gate.Gate;
import dev.greenlight.gate.GatePolicy;
import dev.greenlight.registry.LocalModelRegistry;
import dev.greenlight.serving.ModelLoader;
import dev.greenlight.store.ArtifactCache;
import dev.greenlight.store.DocumentStore;
import dev.greenlight.store.PointerStore;
import dev.greenlight.store.StoreUnavailable;
import dev.greenlight.store.Versioned;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad events are acknowledged with a reason; a dependency failure propagates so Event Grid retries. */
class EventIntakeTest {
    private static final String REGISTERED = """
            [{"id": "e1", "topic": "/subscriptions/x/resourceGroups/y/providers/Microsoft.MachineLearningServices/workspaces/z",
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
        return new EventIntake(promotion);
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
}
