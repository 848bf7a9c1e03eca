package dev.greenlight.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.greenlight.app.Greenlight;
import dev.greenlight.config.Settings;
import dev.greenlight.demo.DemoModels;
import dev.greenlight.fanout.RefreshFanout;
import dev.greenlight.fanout.RefreshOutcome;
import dev.greenlight.fanout.RefreshSignature;
import dev.greenlight.local.host.LocalHost;
import dev.greenlight.local.seed.EmbeddedDefault;
import dev.greenlight.registry.LocalModelRegistry;
import dev.greenlight.registry.ModelVersion;
import dev.greenlight.store.LocalDocumentStore;
import dev.greenlight.store.Pointer;
import dev.greenlight.store.PointerStore;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Promotion and convergence benchmarks, in this process:
 * <ul>
 *   <li>{@code p4-promotion}: event delivered to the webhook → pointer committed → Predict answers
 *       with the new version, over 100 promotions, through the packaged app on the local host;</li>
 *   <li>{@code p7}: 10,000 ModelRegistered deliveries for 500 registered versions (7,000 distinct
 *       events, 30 % duplicates, shuffled) from 8 senders against the local store: events per second,
 *       one judgement per registration (so decisions = registrations, whatever the event ids), one
 *       baseline;</li>
 *   <li>{@code p4-fanout}: all of 100 refresh targets (50 ms each) confirm, parallel vs sequential;</li>
 *   <li>{@code p5}: flip → the last of 3 polling instances serves the new version.</li>
 * </ul>
 * Run: {@code java -cp bench/target/greenlight-bench.jar dev.greenlight.bench.PromotionBenchmarks all}
 * after {@code mvn -B -q -DskipTests package}; results also go to
 * {@code bench/target/results/promotion-<which>.json}.
 */
public final class PromotionBenchmarks {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path APP = Path.of("functions/target/azure-functions/greenlight");
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String ROW = "{\"instances\": [[5.1, 3.5, 1.4, 0.2]]}";
    private static final String KEY = "bench-refresh-key-0123456789";

    private PromotionBenchmarks() {
    }

    public static void main(String[] args) throws Exception {
        // The JDK's HttpServer (the local host and the fake targets) waits ~40 ms per keep-alive
        // response without this, which would be measured as our latency.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        String which = args.length == 0 ? "all" : args[0];
        ObjectNode results = JSON.createObjectNode();
        results.put("date", Instant.now().toString());
        results.put("cores", Runtime.getRuntime().availableProcessors());
        results.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        results.put("rerun", "java -cp bench/target/greenlight-bench.jar dev.greenlight.bench.PromotionBenchmarks " + which);
        if (which.equals("all") || which.equals("p4-promotion")) {
            results.set("p4Promotion", promotionLatency(100));
        }
        if (which.equals("all") || which.equals("p7")) {
            int deliveries = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
            int registrations = args.length > 2 ? Integer.parseInt(args[2]) : 500;
            results.set("p7", eventStorm(deliveries, registrations, 0.30, 8));
        }
        if (which.equals("all") || which.equals("p4-fanout")) {
            results.set("p4Fanout", fanout(100, 10));
        }
        if (which.equals("all") || which.equals("p5")) {
            results.set("p5", convergence(3, 20, 1.0));
        }
        Path out = Path.of("bench/target/results/promotion-" + which + ".json");
        Files.createDirectories(out.getParent());
        Files.writeString(out, results.toPrettyString());
        System.out.println(results.toPrettyString());
        System.exit(0);
    }

    /** P4 (promotion): webhook delivery → pointer committed (the webhook's answer) → Predict serves it. */
    static ObjectNode promotionLatency(int promotions) throws Exception {
        Path data = Files.createTempDirectory("gl-bench-p4");
        Map<String, String> settings = seeded(data, Map.of("GREENLIGHT_POINTER_TTL", "3600"));
        LocalModelRegistry registry = new LocalModelRegistry(Path.of(settings.get("GREENLIGHT_REGISTRY")));
        long[] committed = new long[promotions];
        long[] served = new long[promotions];
        try (LocalHost host = LocalHost.start(new LocalHost.Options(APP, 0, data, null, settings, false))) {
            String key = host.keys().functionKey();
            predictVersion(host, key);
            for (int i = 0; i < promotions; i++) {
                ModelVersion v = register(registry, data, i % 2 == 0 ? "iris-clf-2.onnx" : "iris-clf-1.onnx",
                        String.format(Locale.ROOT, "%.4f", 0.90 + 0.0009 * (i + 1)));
                String event = event("p4-" + i, v.version());
                long start = System.nanoTime();
                HttpResponse<String> delivered = HTTP.send(HttpRequest.newBuilder(URI.create(host.baseUri()
                                + "/runtime/webhooks/eventgrid?functionName=OnModelRegistered&code=" + host.keys().eventGridKey()))
                        .header("aeg-event-type", "Notification").POST(HttpRequest.BodyPublishers.ofString(event)).build(),
                        HttpResponse.BodyHandlers.ofString());
                committed[i] = System.nanoTime() - start;
                if (delivered.statusCode() != 202) {
                    throw new IllegalStateException("delivery " + i + " answered " + delivered.statusCode());
                }
                while (!predictVersion(host, key).equals(v.version())) {
                    Thread.onSpinWait();
                }
                served[i] = System.nanoTime() - start;
            }
        }
        ObjectNode r = JSON.createObjectNode();
        r.put("promotions", promotions);
        r.set("eventToPointerCommittedMillis", stats(committed));
        r.set("eventToPredictServesMillis", stats(served));
        print("P4 promotion: event -> pointer committed", stats(committed));
        print("P4 promotion: event -> Predict answers with the new version", stats(served));
        return r;
    }

    /** P7: a storm of deliveries with duplicates, shuffled, from several senders. */
    static ObjectNode eventStorm(int deliveries, int registrations, double duplicateShare, int senders)
            throws Exception {
        Path data = Files.createTempDirectory("gl-bench-p7");
        Map<String, String> settings = seeded(data, Map.of());
        LocalModelRegistry registry = new LocalModelRegistry(Path.of(settings.get("GREENLIGHT_REGISTRY")));
        Random random = new Random(7);
        List<String> versions = new ArrayList<>();
        for (int i = 0; i < registrations; i++) {
            String f1 = String.format(Locale.ROOT, "%.4f", 0.80 + random.nextDouble() * 0.19);
            versions.add(register(registry, data, "iris-clf-" + (1 + i % 3) + ".onnx", f1).version());
        }
        int distinct = (int) Math.round(deliveries * (1 - duplicateShare));
        List<String> events = new ArrayList<>();
        for (int i = 0; i < distinct; i++) {
            events.add(event("p7-" + i, versions.get(random.nextInt(versions.size()))));
        }
        for (int i = distinct; i < deliveries; i++) {
            events.add(events.get(random.nextInt(distinct)));
        }
        Collections.shuffle(events, random);
        try (Greenlight app = new Greenlight(Settings.from(settings), Clock.systemUTC())) {
            ExecutorService pool = Executors.newFixedThreadPool(senders);
            AtomicInteger next = new AtomicInteger();
            AtomicInteger redeliveries = new AtomicInteger();
            long start = System.nanoTime();
            List<Future<?>> futures = new ArrayList<>();
            for (int s = 0; s < senders; s++) {
                futures.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < events.size(); i = next.getAndIncrement()) {
                        // As Event Grid does: a failed delivery (here, a ledger too contended) is retried.
                        while (true) {
                            try {
                                app.events().handle(events.get(i));
                                break;
                            } catch (dev.greenlight.errors.Unavailable contended) {
                                redeliveries.incrementAndGet();
                            }
                        }
                        if ((i + 1) % 1000 == 0) {
                            System.out.printf(Locale.ROOT, "  P7: %,d of %,d deliveries handled after %.1f s%n", i + 1,
                                    events.size(), (System.nanoTime() - start) / 1e9);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            pool.shutdown();
            var ledger = app.promotion().ledger("iris-clf").orElseThrow();
            long archived;
            try (Stream<Path> files = Files.list(Path.of(settings.get("GREENLIGHT_STORE")).resolve("judged/iris-clf"))) {
                archived = files.filter(f -> f.toString().endsWith(".json")).filter(f -> {
                    try {
                        return JSON.readTree(f.toFile()).path("actor").asText().startsWith("event:");
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }).count();
            } catch (java.nio.file.NoSuchFileException none) {
                archived = 0;
            }
            // Judgements of a registration by an event (the seeded baseline's adoption is not one).
            long recent = ledger.decisions().stream().filter(d -> d.actor().startsWith("event:")).count();
            long judged = recent + archived;
            long tagged = registry.versions("iris-clf").stream().filter(v -> v.tags().containsKey("baseline")).count();
            String pointer = new PointerStore(new LocalDocumentStore(Path.of(settings.get("GREENLIGHT_STORE"))))
                    .read("iris-clf").orElseThrow().value().version();
            ObjectNode r = JSON.createObjectNode();
            r.put("deliveries", deliveries);
            r.put("distinctEvents", distinct);
            r.put("senders", senders);
            r.put("seconds", seconds);
            r.put("eventsPerSecond", deliveries / seconds);
            r.put("redeliveries", redeliveries.get());
            r.put("registrations", registrations);
            r.put("judgements", judged);
            r.put("oneJudgementPerRegistration", judged == registrations);
            r.put("baselineTaggedVersions", tagged);
            r.put("pointerVersion", pointer);
            r.put("ledgerBaseline", ledger.baseline().map(b -> b.version()).orElse(null));
            System.out.printf(Locale.ROOT, "P7: %d deliveries (%d distinct events, %d registrations) from %d senders"
                            + " in %.1f s = %.0f events/s; judgements %d (one per registration: %s);"
                            + " baseline-tagged versions %d; pointer %s, ledger %s; redeliveries after contention %d%n",
                    deliveries, distinct, registrations, senders, seconds, deliveries / seconds, judged,
                    judged == registrations, tagged, pointer, r.path("ledgerBaseline").asText(), redeliveries.get());
            return r;
        }
    }

    /** P4 (fan-out): 100 targets that each take 50 ms, in parallel vs one after another. */
    static ObjectNode fanout(int targets, int runs) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        ScheduledExecutorService delays = Executors.newScheduledThreadPool(2);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            delays.schedule(() -> {
                try {
                    byte[] body = "{\"model\":\"iris-clf\",\"version\":\"2\"}".getBytes(StandardCharsets.UTF_8);
                    exchange.sendResponseHeaders(200, body.length);
                    exchange.getResponseBody().write(body);
                } catch (IOException ignored) {
                    // measured as a failure below
                } finally {
                    exchange.close();
                }
            }, 50, TimeUnit.MILLISECONDS);
        });
        server.start();
        List<URI> urls = new ArrayList<>();
        for (int i = 0; i < targets; i++) {
            urls.add(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/t/" + i));
        }
        Pointer pointer = new Pointer("iris-clf", "2", "a".repeat(64), 2, Instant.now());
        RefreshFanout.Policy parallelPolicy = RefreshFanout.Policy.defaults();
        RefreshFanout.Policy sequentialPolicy = new RefreshFanout.Policy(parallelPolicy.tryTimeout(),
                parallelPolicy.maxRetries(), parallelPolicy.baseDelay(), parallelPolicy.maxDelay(), 1);
        long[] parallel = new long[runs];
        long[] sequential = new long[Math.max(1, runs / 5)];
        int confirmed = 0;
        try (RefreshFanout p = new RefreshFanout(urls, new RefreshSignature(KEY), parallelPolicy.client(), parallelPolicy,
                Clock.systemUTC());
             RefreshFanout s = new RefreshFanout(urls, new RefreshSignature(KEY), sequentialPolicy.client(),
                     sequentialPolicy, Clock.systemUTC())) {
            p.fanOut(pointer); // warm-up: connections, classes
            for (int i = 0; i < runs; i++) {
                long start = System.nanoTime();
                List<RefreshOutcome> outcomes = p.fanOut(pointer);
                parallel[i] = System.nanoTime() - start;
                confirmed += (int) outcomes.stream().filter(RefreshOutcome::confirmed).count();
            }
            for (int i = 0; i < sequential.length; i++) {
                long start = System.nanoTime();
                s.fanOut(pointer);
                sequential[i] = System.nanoTime() - start;
            }
        } finally {
            server.stop(0);
            delays.shutdownNow();
        }
        ObjectNode r = JSON.createObjectNode();
        r.put("targets", targets);
        r.put("concurrency", parallelPolicy.concurrency());
        r.put("confirmedPerRun", confirmed / (double) runs);
        r.set("parallelMillis", stats(parallel));
        r.set("sequentialMillis", stats(sequential));
        double ratio = percentile(parallel, 50) / percentile(sequential, 50);
        r.put("parallelOverSequentialP50", ratio);
        print("P4 fan-out: all " + targets + " targets (50 ms each) confirm, parallel", stats(parallel));
        print("P4 fan-out: the same, sequential", stats(sequential));
        System.out.printf(Locale.ROOT, "P4 fan-out: parallel p50 = %.1f %% of sequential (target <= 10 %%, p50 <= 1 s)%n",
                ratio * 100);
        return r;
    }

    /** P5: flip → the last of several polling instances serves the new version. */
    static ObjectNode convergence(int instances, int flips, double ttlSeconds) throws Exception {
        Path data = Files.createTempDirectory("gl-bench-p5");
        Map<String, String> settings = seeded(data, Map.of("GREENLIGHT_POINTER_TTL", Double.toString(ttlSeconds)));
        LocalModelRegistry registry = new LocalModelRegistry(Path.of(settings.get("GREENLIGHT_REGISTRY")));
        PointerStore pointers = new PointerStore(new LocalDocumentStore(Path.of(settings.get("GREENLIGHT_STORE"))));
        ModelVersion v1 = registry.find("iris-clf", "1").orElseThrow();
        ModelVersion v2 = register(registry, data, "iris-clf-2.onnx", "0.9778");
        List<LocalHost> hosts = new ArrayList<>();
        long[] last = new long[flips];
        try {
            for (int i = 0; i < instances; i++) {
                hosts.add(LocalHost.start(new LocalHost.Options(APP, 0, data, null, settings, false)));
            }
            String key = hosts.get(0).keys().functionKey();
            for (LocalHost h : hosts) {
                predictVersion(h, key);
            }
            for (int i = 0; i < flips; i++) {
                ModelVersion target = i % 2 == 0 ? v2 : v1;
                var current = pointers.read("iris-clf").orElseThrow();
                long start = System.nanoTime();
                pointers.write(new Pointer("iris-clf", target.version(), target.sha256(),
                        current.value().generation() + 1, Instant.now()), current.etag());
                for (LocalHost h : hosts) {
                    while (!predictVersion(h, key).equals(target.version())) {
                        Thread.onSpinWait();
                    }
                }
                last[i] = System.nanoTime() - start;
            }
        } finally {
            hosts.forEach(LocalHost::close);
        }
        ObjectNode r = JSON.createObjectNode();
        r.put("instances", instances);
        r.put("ttlSeconds", ttlSeconds);
        r.set("flipToLastInstanceServesMillis", stats(last));
        print("P5: flip -> last of " + instances + " instances serves (TTL " + ttlSeconds + " s)", stats(last));
        return r;
    }

    private static Map<String, String> seeded(Path data, Map<String, String> extra) throws IOException {
        EmbeddedDefault embedded = new EmbeddedDefault(data);
        Map<String, String> settings = new LinkedHashMap<>(embedded.settings());
        settings.putAll(extra);
        embedded.seedIfEmpty(settings);
        return settings;
    }

    private static ModelVersion register(LocalModelRegistry registry, Path data, String demo, String f1)
            throws IOException {
        Path file = data.resolve("bench-" + demo);
        if (!Files.exists(file)) {
            Files.write(file, DemoModels.bytes(demo));
        }
        return registry.register("iris-clf", file, Map.of("f1", f1), Map.of("dynamic", "true"), null);
    }

    private static String event(String id, String version) {
        ObjectNode e = JSON.createObjectNode();
        e.put("id", id);
        e.put("topic", dev.greenlight.events.EventScope.LOCAL_TOPIC);
        e.put("subject", "models/iris-clf:" + version);
        e.put("eventType", "Microsoft.MachineLearningServices.ModelRegistered");
        e.put("eventTime", Instant.now().toString());
        e.putObject("data").put("modelName", "iris-clf").put("modelVersion", version);
        e.put("dataVersion", "2");
        e.put("metadataVersion", "1");
        ArrayNode delivery = JSON.createArrayNode();
        delivery.add(e);
        return delivery.toString();
    }

    private static String predictVersion(LocalHost host, String key) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(host.baseUri() + "/api/predict"))
                .header("x-functions-key", key).POST(HttpRequest.BodyPublishers.ofString(ROW)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("predict answered " + r.statusCode() + ": " + r.body());
        }
        return r.headers().firstValue("x-model-version").orElseThrow();
    }

    private static ObjectNode stats(long[] nanos) {
        ObjectNode s = JSON.createObjectNode();
        s.put("count", nanos.length);
        s.put("p50", percentile(nanos, 50) / 1e6);
        s.put("p99", percentile(nanos, 99) / 1e6);
        s.put("max", Arrays.stream(nanos).max().orElse(0) / 1e6);
        return s;
    }

    private static double percentile(long[] nanos, double p) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank))];
    }

    private static void print(String what, JsonNode s) {
        System.out.printf(Locale.ROOT, "%s: n=%d p50=%.1f ms p99=%.1f ms max=%.1f ms%n", what, s.path("count").asInt(),
                s.path("p50").asDouble(), s.path("p99").asDouble(), s.path("max").asDouble());
    }
}
