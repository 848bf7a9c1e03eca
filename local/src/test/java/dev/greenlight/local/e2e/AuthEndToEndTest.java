package dev.greenlight.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.greenlight.fanout.RefreshSignature;
import dev.greenlight.local.host.LocalHost;
import dev.greenlight.local.seed.EmbeddedDefault;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reliability suite's auth run, over real HTTP to the packaged app: admin routes, function
 * routes, the Event Grid webhook and the signed refresh contract, each without its key, with a
 * wrong one and with a key of the wrong kind. As Azure Functions does, the local host answers 401
 * for every one of those, including the function key on an admin route (Azure answers 401, not
 * 403, when a key does not open a route). Every log record (java.util.logging, every level),
 * everything written to standard output and error (the access log among it) and every response
 * status line, header and body of the run are kept, and no key or signature appears in any.
 *
 * <p>The host is started here rather than through {@link RunningApp}, with the same embedded
 * default, because the access log is part of what is checked and RunningApp turns it off.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuthEndToEndTest {
    private static final String REFRESH_KEY = "auth-refresh-key-5b1f0c7d9e2a";
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final String PROMOTE = "{\"model\": \"iris-clf\", \"version\": \"1\"}";
    private static final String ROLLBACK = "{\"model\": \"iris-clf\"}";
    private static final String ROW = "{\"instances\": [[5.1, 3.5, 1.4, 0.2]]}";

    @TempDir
    static Path data;
    static LocalHost host;
    static String functionKey;
    static String adminKey;
    static String eventGridKey;
    static final List<String> signatures = new ArrayList<>();
    static final List<String> seen = new CopyOnWriteArrayList<>(); // responses: status, headers, bodies
    static final List<String> logged = new CopyOnWriteArrayList<>();
    static final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    static PrintStream out;
    static PrintStream err;
    static final List<String> VERBOSE = List.of("dev.greenlight", "Function", "sun.net.httpserver", "com.azure");
    static final Map<String, Level> levels = new LinkedHashMap<>();
    static final List<Logger> kept = new ArrayList<>();
    static final Handler everything = new Handler() {
        private final SimpleFormatter format = new SimpleFormatter();

        @Override
        public void publish(LogRecord record) {
            logged.add(format.format(record)); // message with its parameters and the stack trace
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeAll
    static void start() throws IOException {
        out = System.out;
        err = System.err;
        // Before the host exists: its access log writes to the System.out it finds when it is made.
        System.setOut(new PrintStream(new Tee(out), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new Tee(err), true, StandardCharsets.UTF_8));
        // Every level of the host's, the app's, the functions' and the HTTP server's loggers; the
        // JDK client this test sends with stays at its default (at FINE it logs the test's own URLs).
        for (String name : VERBOSE) {
            Logger logger = Logger.getLogger(name);
            levels.put(name, logger.getLevel());
            logger.setLevel(Level.ALL);
            kept.add(logger); // JUL holds loggers weakly; a collected one would forget its level
        }
        everything.setLevel(Level.ALL);
        Logger.getLogger("").addHandler(everything);

        EmbeddedDefault embedded = new EmbeddedDefault(data);
        Map<String, String> values = new LinkedHashMap<>(embedded.settings());
        values.put("GREENLIGHT_REFRESH_KEY", REFRESH_KEY);
        values.put("GREENLIGHT_SYNC_SCHEDULE", "0 0 0 1 1 *");
        embedded.seedIfEmpty(values);
        host = LocalHost.start(new LocalHost.Options(RunningApp.APP_DIR, 0, data, null, values, true));
        functionKey = host.keys().functionKey();
        adminKey = host.keys().adminKey();
        eventGridKey = host.keys().eventGridKey();
        // The keys and the refresh key at work, so that the logs have had every chance to show them.
        assertThat(send("POST", "/api/predict", ROW, "x-functions-key", functionKey).statusCode()).isEqualTo(200);
        assertThat(send("POST", "/api/predict?code=" + functionKey, ROW).statusCode()).isEqualTo(200);
        assertThat(send("GET", "/api/status?code=" + adminKey, null).statusCode()).isEqualTo(200);
        assertThat(send("GET", "/api/decisions", null, "x-functions-key", functionKey).statusCode()).isEqualTo(200);
        assertThat(send("POST", "/api/promote?code=" + adminKey, "{\"model\": \"iris-clf\", \"version\": \"../1\"}")
                .statusCode()).isEqualTo(400);
        assertThat(webhook("?functionName=OnModelRegistered&code=" + eventGridKey).statusCode()).isEqualTo(202);
        String body = refreshBody();
        assertThat(refresh(body, sign(body, Instant.now().getEpochSecond())).statusCode()).isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        try {
            if (host != null) {
                host.close();
            }
        } finally {
            Logger.getLogger("").removeHandler(everything);
            levels.forEach((name, level) -> Logger.getLogger(name).setLevel(level));
            System.setOut(out);
            System.setErr(err);
            out.println("Auth: " + seen.size() + " responses, " + logged.size() + " log records and "
                    + printed.size() + " bytes of output searched for 4 keys and " + signatures.size() + " signatures");
        }
    }

    @Test
    void admin_routes_refuse_no_key_a_wrong_key_and_every_key_but_the_admin_key_with_401() {
        for (String route : List.of("/api/promote", "/api/rollback")) {
            String body = route.endsWith("promote") ? PROMOTE : ROLLBACK;
            for (String[] key : wrongKeysFor(adminKey, functionKey, eventGridKey)) {
                assertThat(send("POST", route, body, key).statusCode()).as(route + " with " + describe(key)).isEqualTo(401);
                assertThat(send("POST", route + (key.length == 0 ? "" : "?code=" + MalformedInput.query(key[1])), body)
                        .statusCode())
                        .as(route + " with ?code= " + describe(key)).isEqualTo(401);
            }
        }
    }

    @Test
    void function_routes_refuse_no_key_a_wrong_key_and_the_event_grid_key_with_401() {
        Map<String, String> routes = new LinkedHashMap<>();
        routes.put("/api/predict", ROW);
        routes.put("/api/v2/models/iris-clf/infer", "{\"inputs\": []}");
        routes.put("/api/v2/models/iris-clf", null);
        routes.put("/api/decisions?model=iris-clf&limit=1", null);
        routes.put("/api/status", null);
        routes.forEach((route, body) -> {
            String method = body == null ? "GET" : "POST";
            for (String[] key : wrongKeysFor(functionKey, eventGridKey)) {
                assertThat(send(method, route, body, key).statusCode()).as(route + " with " + describe(key))
                        .isEqualTo(401);
            }
        });
    }

    @Test
    void the_webhook_refuses_no_system_key_a_wrong_one_and_the_function_key_with_401() {
        for (String query : List.of("?functionName=OnModelRegistered", "?functionName=OnRunCompleted",
                "?functionName=OnModelRegistered&code=", "?functionName=OnModelRegistered&code=wrong",
                "?functionName=OnModelRegistered&code=" + functionKey,
                "?functionName=OnModelRegistered&code=" + eventGridKey.toUpperCase(),
                "?functionName=OnModelRegistered&code=" + eventGridKey.substring(1),
                "?functionName=OnModelRegistered&code=" + eventGridKey + "x",
                "?functionName=Unknown&code=wrong")) {
            assertThat(webhook(query).statusCode()).as(query.replace(functionKey, "<function key>")
                    .replace(eventGridKey.toUpperCase(), "<system key, upper case>")).isEqualTo(401);
        }
    }

    @Test
    void refresh_refuses_a_missing_wrong_stale_or_future_signature_with_401() {
        String body = refreshBody();
        long now = Instant.now().getEpochSecond();
        RefreshSignature other = new RefreshSignature("some-other-key-0123456789");
        List<String> headers = new ArrayList<>(List.of("", "t=" + now, "v1=00", "t=" + now + ",v1=zz",
                other.sign(body, Instant.ofEpochSecond(now)), sign(body + " ", now),
                sign(body, now - 360), sign(body, now - 600), sign(body, now - 86_400), sign(body, now + 360),
                // A timestamp so far back that now - t overflows a long: stale all the same.
                sign(body, now + Long.MIN_VALUE), sign(body, Long.MIN_VALUE), sign(body, Long.MAX_VALUE)));
        signatures.add(other.sign(body, Instant.ofEpochSecond(now)));
        assertThat(refresh(body, null).statusCode()).as("no signature").isEqualTo(401);
        for (String header : headers) {
            assertThat(refresh(body, header).statusCode()).as(RefreshSignature.HEADER + ": " + header).isEqualTo(401);
        }
    }

    /** Last: it searches what every test of the class sent and got, and stops the host to flush its access log. */
    @Test
    @Order(Integer.MAX_VALUE)
    void no_key_or_signature_appears_in_any_log_line_output_or_response_of_the_run() {
        System.out.flush();
        System.err.flush();
        host.close(); // writes the access log lines still queued
        String output;
        synchronized (printed) {
            output = printed.toString(StandardCharsets.UTF_8);
        }
        assertThat(output).as("the access log").contains("POST /api/promote 401");

        List<String> secrets = new ArrayList<>(List.of(functionKey, adminKey, eventGridKey, REFRESH_KEY));
        for (String signature : signatures) {
            secrets.add(signature);
            int v1 = signature.indexOf("v1=");
            if (v1 >= 0 && signature.length() - v1 > 10) {
                secrets.add(signature.substring(v1 + 3));
            }
        }
        for (String secret : secrets) {
            String label = secret.equals(REFRESH_KEY) ? "the refresh key" : "a key or signature";
            assertThat(logged).as("log records").noneMatch(line -> line.contains(secret));
            assertThat(output).as("standard output and error").doesNotContain(secret);
            assertThat(seen).as("responses").noneMatch(response -> response.contains(secret));
            assertThat(secret).as(label).isNotBlank();
        }
    }

    // ---- Requests ------------------------------------------------------------------------

    /** No key, wrong keys, and {@code others} (keys of another kind), each as an x-functions-key header. */
    private static List<String[]> wrongKeysFor(String right, String... others) {
        List<String[]> keys = new ArrayList<>(List.of(new String[0], new String[] {"x-functions-key", "wrong"},
                new String[] {"x-functions-key", right.toUpperCase()}, new String[] {"x-functions-key", right.substring(1)},
                new String[] {"x-functions-key", right + "x"}, new String[] {"x-functions-key", " " + right + "x"}));
        for (String other : others) {
            keys.add(new String[] {"x-functions-key", other});
        }
        return keys;
    }

    private static String describe(String[] key) {
        if (key.length == 0) {
            return "no key";
        }
        String v = key[1];
        return v.equals(functionKey) ? "the function key" : v.equals(eventGridKey) ? "the Event Grid key"
                : v.equals(adminKey) ? "the admin key" : "a wrong key";
    }

    private static HttpResponse<String> webhook(String query) {
        String event = "[{\"id\": \"auth-1\", \"topic\": \"" + MalformedInput.LOCAL_TOPIC + "\", \"subject\": \"s\","
                + " \"eventType\": \"Microsoft.Storage.BlobCreated\", \"eventTime\": \"2026-11-25T00:00:00Z\","
                + " \"data\": {}, \"dataVersion\": \"1\"}]";
        return send("POST", "/runtime/webhooks/eventgrid" + query, event, "aeg-event-type", "Notification");
    }

    private static String refreshBody() {
        return "{\"model\": \"iris-clf\", \"version\": \"1\", \"generation\": 1}";
    }

    private static HttpResponse<String> refresh(String body, String signature) {
        return signature == null ? send("POST", "/api/refresh-model", body)
                : send("POST", "/api/refresh-model", body, RefreshSignature.HEADER, signature);
    }

    /** The contract's signature for any timestamp (RefreshSignature takes an Instant, which cannot hold them all). */
    private static String sign(String body, long t) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(REFRESH_KEY.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            String signature = "t=" + t + ",v1=" + HexFormat.of().formatHex(mac.doFinal((t + "." + body)
                    .getBytes(StandardCharsets.UTF_8)));
            signatures.add(signature);
            return signature;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static HttpResponse<String> send(String method, String path, String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(host.baseUri() + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        try {
            HttpResponse<String> response = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
            seen.add(response.statusCode() + " " + response.headers().map() + " " + response.body());
            return response;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Writes through to the real stream and keeps a copy. */
    private static final class Tee extends OutputStream {
        private final OutputStream through;

        Tee(OutputStream through) {
            this.through = through;
        }

        @Override
        public void write(int b) throws IOException {
            synchronized (printed) {
                printed.write(b);
            }
            through.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            synchronized (printed) {
                printed.write(b, off, len);
            }
            through.write(b, off, len);
        }
    }
}
