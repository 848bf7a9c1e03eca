package dev.greenlight.promotion;

import dev.greenlight.demo.DemoManifest;
import dev.greenlight.demo.DemoModels;
import dev.greenlight.gate.Gate;
import dev.greenlight.gate.GatePolicy;
import dev.greenlight.registry.LocalModelRegistry;
import dev.greenlight.registry.ModelVersion;
import dev.greenlight.serving.ModelLoader;
import dev.greenlight.store.ArtifactCache;
import dev.greenlight.store.DocumentStore;
import dev.greenlight.store.LocalDocumentStore;
import dev.greenlight.store.PointerStore;
import dev.greenlight.store.Pointer;
import dev.greenlight.store.Versioned;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiPredicate;

/**
 * Promotion on the real local registry and store under one folder, with candidates loaded in
 * ONNX Runtime, and a store seam that can fail chosen writes.
 */
final class PromotionFixture {
    final Path dir;
    final LocalModelRegistry registry;
    final FaultyStore documents;
    final PointerStore pointers;
    final LedgerStore ledgers;
    final List<String> flips = new CopyOnWriteArrayList<>();

    PromotionFixture(Path dir) {
        this.dir = dir;
        this.registry = new LocalModelRegistry(dir.resolve("registry"));
        this.documents = new FaultyStore(new LocalDocumentStore(dir.resolve("store")));
        this.pointers = new PointerStore(documents);
        this.ledgers = new LedgerStore(documents);
    }

    PromotionService service(GatePolicy policy) {
        return PromotionService.builder().models(List.of("iris-clf")).registry(registry).ledgers(ledgers)
                .pointers(pointers).probe(new CandidateProbe(registry, new ArtifactCache(dir.resolve("cache")),
                        new ModelLoader(1, Clock.systemUTC()), ""))
                .gate(new Gate(policy)).tags("baseline", "dynamic").onFlip(flips::add).build();
    }

    PromotionService service() {
        return service(GatePolicy.defaults());
    }

    /** Registers demo version {@code demoVersion}'s file and metrics as the next version, tagged as a candidate. */
    ModelVersion register(int demoVersion) throws IOException {
        return register(demoVersion, Map.of("dynamic", "true"), null);
    }

    ModelVersion register(int demoVersion, Map<String, String> tags, String runId) throws IOException {
        DemoManifest.Version v = DemoModels.manifest().version(demoVersion);
        return registerFile(v.file(), v.properties(), tags, runId);
    }

    ModelVersion registerFile(String demoFile, Map<String, String> properties, Map<String, String> tags, String runId)
            throws IOException {
        Path file = dir.resolve("upload-" + System.nanoTime() + "-" + demoFile);
        Files.write(file, DemoModels.bytes(demoFile));
        return registry.register("iris-clf", file, properties, tags, runId);
    }

    ModelVersion version(String version) {
        return registry.find("iris-clf", version).orElseThrow();
    }

    /** Versions carrying the baseline tag, with the tag's value. */
    Map<String, String> baselineTags() {
        Map<String, String> tagged = new HashMap<>();
        for (ModelVersion v : registry.versions("iris-clf")) {
            String value = v.tags().get("baseline");
            if (value != null) {
                tagged.put(v.version(), value);
            }
        }
        return tagged;
    }

    /**
     * The registry's tags at one instant, while writers run: two identical reads in a row (tag
     * values carry generations, so a read cannot see an old state come back).
     */
    Map<String, String> baselineTagsAtOneInstant() {
        Map<String, String> before = baselineTags();
        while (true) {
            Map<String, String> after = baselineTags();
            if (after.equals(before)) {
                return after;
            }
            before = after;
        }
    }

    Pointer pointer() {
        return pointers.read("iris-clf").orElseThrow().value();
    }

    Ledger ledger() {
        return ledgers.read("iris-clf").orElseThrow().value();
    }

    /** A document store that fails the writes a rule picks, as a store that goes down mid-flip would. */
    static final class FaultyStore implements DocumentStore {
        private final DocumentStore delegate;
        private volatile BiPredicate<String, Integer> failWrite = (name, n) -> false;
        private volatile BiPredicate<String, Integer> conflictWrite = (name, n) -> false;
        private volatile java.util.function.Consumer<String> beforeWrite = name -> { };
        final java.util.concurrent.atomic.AtomicInteger lostRaces = new java.util.concurrent.atomic.AtomicInteger();
        private final Map<String, Integer> writes = new HashMap<>();
        final List<String> failed = new ArrayList<>();

        FaultyStore(DocumentStore delegate) {
            this.delegate = delegate;
        }

        /** Fails a write when {@code rule} says so for the document's name and its write count (from 1). */
        void failWrites(BiPredicate<String, Integer> rule) {
            this.failWrite = rule;
        }

        /** Answers a write with a lost race when {@code rule} says so, as a store with a busy writer would. */
        void conflictWrites(BiPredicate<String, Integer> rule) {
            this.conflictWrite = rule;
        }

        /** Runs before every write, e.g. to hold writers until all of them have read. */
        void beforeWrite(java.util.function.Consumer<String> hook) {
            this.beforeWrite = hook;
        }

        void heal() {
            this.failWrite = (name, n) -> false;
            this.conflictWrite = (name, n) -> false;
        }

        @Override
        public Optional<Versioned<byte[]>> read(String name) {
            return delegate.read(name);
        }

        @Override
        public Optional<Versioned<byte[]>> readIfChanged(String name, String knownEtag) {
            return delegate.readIfChanged(name, knownEtag);
        }

        @Override
        public String write(String name, byte[] content, String expectedEtag) {
            int n;
            synchronized (writes) {
                n = writes.merge(name, 1, Integer::sum);
            }
            if (failWrite.test(name, n)) {
                synchronized (failed) {
                    failed.add(name);
                }
                throw new dev.greenlight.store.StoreUnavailable("injected: the store failed writing " + name, null);
            }
            if (conflictWrite.test(name, n)) {
                throw new dev.greenlight.store.StoreConflict("injected: " + name + " changed meanwhile");
            }
            beforeWrite.accept(name);
            try {
                return delegate.write(name, content, expectedEtag);
            } catch (dev.greenlight.store.StoreConflict lost) {
                lostRaces.incrementAndGet();
                throw lost;
            }
        }
    }
}
