package dev.greenlight.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.greenlight.fanout.RefreshSignature;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reliability suite's malformed-input run: at least 1,000 generated malformed requests and
 * Event Grid deliveries ({@link MalformedInput}, seeded) over real HTTP to the packaged app on the
 * local host, on every route. None may get a 5xx, every 4xx is a JSON {@code {"error","detail"}},
 * and the store's pointers and ledgers and the registry's versions are byte-identical after the run.
 *
 * <p>Repeat a run with {@code -Dgreenlight.malformed.seed=<seed>} (the seed is printed with the
 * counts); {@code -Dgreenlight.malformed.mutations=<n>} sets how many random mutations follow the
 * fixed catalogue (1,000 by default).
 */
class MalformedInputEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long SEED = Long.getLong("greenlight.malformed.seed", 20261203L);
    private static final int MUTATIONS = Integer.getInteger("greenlight.malformed.mutations", 1000);
    private static final long MAX_BODY = 64 * 1024;
    private static final String REFRESH_KEY = "malformed-refresh-key-0123456789";
    /** Far more than any answer takes; a request still running then is a hang, reported as status 0. */
    private static final Duration PATIENCE = Duration.ofSeconds(10);
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    static Path data;
    static RunningApp app;
    static Map<String, String> before;
    static Map<String, String> after;
    static List<Result> results;
    static long runMillis;
    /** Set by the first request that gets no answer: a hung host answers nothing more, so the run stops there. */
    static final AtomicBoolean HUNG = new AtomicBoolean();
    static int skipped;
    static final java.util.concurrent.atomic.AtomicInteger RETRIED = new java.util.concurrent.atomic.AtomicInteger();

    /** What one case got back. */
    record Result(MalformedInput.Case sent, int status, String contentType, String body, boolean raw,
                  boolean notAUri) {
        String describe() {
            return status + " for " + sent.describe() + " → " + clip(body);
        }
    }

    @BeforeAll
    static void run() throws Exception {
        app = new RunningApp(data, Map.of("GREENLIGHT_MAX_BODY", "64KiB", "GREENLIGHT_REFRESH_KEY", REFRESH_KEY,
                // No timer may write during the run: the sync check would record its lease.
                "GREENLIGHT_SYNC_SCHEDULE", "0 0 0 1 1 *"));
        // The first request creates the app, which adopts the seeded baseline into a new ledger.
        assertThat(app.versionServed()).isEqualTo("1");
        await().atMost(Duration.ofSeconds(10)).until(() -> app.getWithKey("/api/decisions?limit=1").statusCode() == 200
                && JSON.readTree(app.getWithKey("/api/decisions?limit=1").body()).path("decisions").size() == 1);
        String input = JSON.readTree(app.getWithKey("/api/v2/models/iris-clf").body()).path("inputs").get(0)
                .path("name").asText();
        before = snapshot();

        List<MalformedInput.Case> cases = new MalformedInput(SEED, MAX_BODY, app.functionKey(),
                app.host.keys().adminKey(), app.host.keys().eventGridKey(), new RefreshSignature(REFRESH_KEY), input)
                .generate(MUTATIONS);
        long start = System.nanoTime();
        ExecutorService senders = Executors.newFixedThreadPool(4);
        try {
            List<Future<Result>> sent = new ArrayList<>();
            for (MalformedInput.Case c : cases) {
                sent.add(senders.submit(() -> HUNG.get() ? null : send(c)));
            }
            results = new ArrayList<>();
            for (Future<Result> f : sent) {
                Result r = f.get();
                if (r == null) {
                    skipped++;
                } else {
                    results.add(r);
                }
            }
        } finally {
            senders.shutdownNow();
        }
        runMillis = (System.nanoTime() - start) / 1_000_000;
        after = snapshot();
    }

    @AfterAll
    static void report() {
        try {
            if (results != null) {
                System.out.println(counts());
            }
        } finally {
            if (app != null) {
                app.close();
            }
        }
    }

    @Test
    void tries_at_least_a_thousand_malformed_requests_and_events_on_every_route() {
        assertThat(results).hasSizeGreaterThanOrEqualTo(1000);
        assertThat(results.stream().map(r -> r.sent().route()).distinct()).contains(MalformedInput.PREDICT,
                MalformedInput.INFER, MalformedInput.METADATA, MalformedInput.PROMOTE, MalformedInput.ROLLBACK,
                MalformedInput.DECISIONS, MalformedInput.REFRESH, MalformedInput.WEBHOOK + " OnModelRegistered",
                MalformedInput.WEBHOOK + " OnRunCompleted", MalformedInput.WEBHOOK + " (unknown functionName)");
    }

    @Test
    void no_malformed_request_or_event_is_answered_with_a_5xx() {
        assertThat(failures(r -> r.status() >= 500 || r.status() < 100)).isEmpty();
    }

    @Test
    void every_4xx_is_a_json_error_with_an_error_code_and_a_detail() {
        assertThat(failures(r -> r.status() >= 400 && r.status() < 500 && !r.notAUri() && !isJsonError(r))).isEmpty();
    }

    /**
     * A lone {@code %} in the request line is not a URI: the JDK's HTTP server refuses it with its
     * own 400 page before any route (or the host) sees the request, as a front end in Azure would.
     */
    @Test
    void a_request_target_that_is_not_a_uri_is_refused_with_400_before_any_route() {
        assertThat(results).anyMatch(Result::notAUri);
        assertThat(failures(r -> r.notAUri() && r.status() != 400)).isEmpty();
    }

    @Test
    void every_case_with_a_known_answer_gets_it() {
        assertThat(failures(r -> r.sent().expected() != null && r.status() != r.sent().expected())).isEmpty();
    }

    @Test
    void the_store_and_the_registry_are_byte_identical_after_the_run() {
        assertThat(before).isNotEmpty().containsKey("store/ledgers/iris-clf.json");
        assertThat(after).as("files under store/ and registry/ (path → sha256)").isEqualTo(before);
    }

    private static List<String> failures(java.util.function.Predicate<Result> failed) {
        return results.stream().filter(failed).map(Result::describe).limit(25).toList();
    }

    private static boolean isJsonError(Result r) {
        if (r.contentType() == null || !r.contentType().toLowerCase(Locale.ROOT).startsWith("application/json")) {
            return false;
        }
        try {
            JsonNode body = JSON.readTree(r.body());
            return body != null && body.isObject() && body.path("error").isTextual() && !body.path("error").asText().isBlank()
                    && body.path("detail").isTextual() && !body.path("detail").asText().isBlank();
        } catch (IOException e) {
            return false;
        }
    }

    // ---- Sending -------------------------------------------------------------------------

    private static Result send(MalformedInput.Case c) {
        URI uri;
        try {
            uri = URI.create(app.host.baseUri() + c.target());
        } catch (IllegalArgumentException notAUri) {
            return sendRaw(c, true);
        }
        HttpRequest request;
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(uri)
                    .timeout(PATIENCE)
                    .method(c.method(), c.body() == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(c.body()));
            for (int i = 0; i < c.headers().size(); i += 2) {
                b.header(c.headers().get(i), c.headers().get(i + 1));
            }
            request = b.build();
        } catch (IllegalArgumentException notForTheJdkClient) {
            // A header the JDK client refuses to send: written on a plain socket instead, as any
            // other client could.
            return sendRaw(c, false);
        }
        try {
            HttpResponse<String> response;
            try {
                response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (java.net.http.HttpTimeoutException e) {
                throw e;
            } catch (IOException closedWhileIdle) {
                // A pooled keep-alive connection the server had closed meanwhile: sent once more,
                // as clients do; an answer that never comes (a crash) fails again, and is reported.
                RETRIED.incrementAndGet();
                response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
            }
            return new Result(c, response.statusCode(), response.headers().firstValue("Content-Type").orElse(null),
                    response.body(), false, false);
        } catch (java.net.http.HttpTimeoutException e) {
            HUNG.set(true);
            return new Result(c, 0, null, "no answer within " + PATIENCE.toSeconds() + " s", false, false);
        } catch (IOException e) {
            // The host closed the connection without an answer: a failure like a 5xx.
            return new Result(c, -1, null, "no answer: " + e, false, false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** HTTP/1.1 by hand: the request line and headers exactly as given, then the status and body until close. */
    private static Result sendRaw(MalformedInput.Case c, boolean notAUri) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), app.host.port())) {
            socket.setSoTimeout((int) PATIENCE.toMillis());
            byte[] body = c.body() == null ? new byte[0] : c.body();
            StringBuilder head = new StringBuilder(c.method()).append(' ').append(c.target()).append(" HTTP/1.1\r\n")
                    .append("Host: localhost\r\nConnection: close\r\nContent-Length: ").append(body.length).append("\r\n");
            for (int i = 0; i < c.headers().size(); i += 2) {
                head.append(c.headers().get(i)).append(": ").append(c.headers().get(i + 1)).append("\r\n");
            }
            OutputStream out = socket.getOutputStream();
            out.write(head.append("\r\n").toString().getBytes(StandardCharsets.UTF_8));
            out.write(body);
            out.flush();
            String response = readAll(socket.getInputStream());
            int headEnd = response.indexOf("\r\n\r\n");
            String headers = headEnd < 0 ? response : response.substring(0, headEnd);
            String[] statusLine = headers.split("\r\n", 2)[0].split(" ");
            String type = null;
            for (String line : headers.split("\r\n")) {
                if (line.toLowerCase(Locale.ROOT).startsWith("content-type:")) {
                    type = line.substring("content-type:".length()).trim();
                }
            }
            return new Result(c, Integer.parseInt(statusLine[1]), type, headEnd < 0 ? "" : response.substring(headEnd + 4),
                    true, notAUri);
        } catch (java.net.SocketTimeoutException e) {
            HUNG.set(true);
            return new Result(c, 0, null, "no answer within " + PATIENCE.toSeconds() + " s", true, notAUri);
        } catch (IOException e) {
            throw new UncheckedIOException("sending " + c.describe(), e);
        }
    }

    private static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        in.transferTo(bytes);
        return bytes.toString(StandardCharsets.UTF_8);
    }

    // ---- State and counts ----------------------------------------------------------------

    /** Every file under the data folder's store/ and registry/, by relative path, with its sha256. */
    private static Map<String, String> snapshot() throws IOException {
        Map<String, String> files = new TreeMap<>();
        for (String dir : List.of("store", "registry")) {
            try (Stream<Path> walk = Files.walk(data.resolve(dir))) {
                for (Path p : walk.filter(Files::isRegularFile).toList()) {
                    files.put(data.relativize(p).toString().replace('\\', '/'), sha256(Files.readAllBytes(p)));
                }
            }
        }
        return files;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String counts() {
        Map<String, Map<Integer, Long>> byRoute = new TreeMap<>();
        for (Result r : results) {
            byRoute.computeIfAbsent(r.sent().route(), k -> new TreeMap<>()).merge(r.status(), 1L, Long::sum);
        }
        Map<Integer, Long> all = results.stream().collect(Collectors.groupingBy(Result::status, TreeMap::new,
                Collectors.counting()));
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
                "Malformed input: %d requests and deliveries (%d of them random mutations) in %.1f s, seed %d"
                        + " (-Dgreenlight.malformed.seed=%d repeats it); %d written by hand on a socket, %d sent again"
                        + " on a new connection%s; store and registry %s%n", results.size(),
                results.stream().filter(r -> r.sent().kind().equals("mutated")).count(), runMillis / 1000.0, SEED, SEED,
                results.stream().filter(Result::raw).count(), RETRIED.get(), skipped == 0 ? "" : ", " + skipped + " not sent after a hang",
                Objects.equals(before, after) ? "unchanged" : "CHANGED"));
        byRoute.forEach((route, statuses) -> out.append(String.format(Locale.ROOT, "  %-48s %5d  %s%n", route,
                statuses.values().stream().mapToLong(Long::longValue).sum(), statuses(statuses))));
        out.append(String.format(Locale.ROOT, "  %-48s %5d  %s", "all routes", results.size(), statuses(all)));
        return out.toString();
    }

    private static String statuses(Map<Integer, Long> statuses) {
        return statuses.entrySet().stream().map(e -> e.getKey() + "×" + e.getValue()).collect(Collectors.joining(" "));
    }

    private static String clip(String s) {
        String flat = s == null ? "" : s.replace("\n", "\\n");
        return flat.length() <= 200 ? flat : flat.substring(0, 200) + "…";
    }
}
