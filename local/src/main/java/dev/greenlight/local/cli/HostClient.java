package dev.greenlight.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The CLI's side of the wire to a running Greenlight (the local host by default): keys are read
 * from the data folder where the host generated them, and sent in headers, never printed. Every
 * request names who asked ({@code x-greenlight-actor}). Requests are safe to repeat (reads, the
 * Event Grid delivery by its event id, promote and rollback by their {@code requestId}), so a
 * 503 or a lost connection is retried, the same request each time, a few times with back-off.
 */
final class HostClient {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String ACTOR_HEADER = "x-greenlight-actor";
    static final int RETRIES = 3;
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(250);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final URI base;
    private final Path secrets;
    private final PrintWriter err;

    HostClient(URI base, Path dataDir, PrintWriter err) {
        this.base = base;
        this.secrets = dataDir.resolve("secrets");
        this.err = err;
    }

    /** A failure the CLI reports with its exit code. */
    static final class Failure extends RuntimeException {
        final int exitCode;

        Failure(int exitCode, String message) {
            super(message);
            this.exitCode = exitCode;
        }
    }

    HttpResponse<String> get(String path, String keyFile) {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET(), keyFile);
    }

    HttpResponse<String> post(String path, String body, String keyFile) {
        return send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)), keyFile);
    }

    /** Delivers events to a function's Event Grid webhook, as Event Grid would. */
    HttpResponse<String> deliverEvent(String function, String events) {
        String path = "/runtime/webhooks/eventgrid?functionName=" + URLEncoder.encode(function, StandardCharsets.UTF_8);
        return send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                .header("aeg-event-type", "Notification").POST(HttpRequest.BodyPublishers.ofString(events)),
                "eventgrid_extension.key");
    }

    JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new Failure(4, "unexpected answer from " + base + " (HTTP " + response.statusCode() + ")");
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder builder, String keyFile) {
        HttpRequest request = builder.timeout(Duration.ofSeconds(120)).header("x-functions-key", key(keyFile))
                .header(ACTOR_HEADER, Actor.current()).build();
        Duration backoff = FIRST_BACKOFF;
        for (int attempt = 0; ; attempt++) {
            String why;
            try {
                HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 503 || attempt == RETRIES) {
                    return response;
                }
                why = "HTTP 503";
            } catch (ConnectException | HttpConnectTimeoutException e) {
                if (attempt == RETRIES) {
                    throw new Failure(4, "no Greenlight answers at " + base + " (start it with: ./greenlight start)");
                }
                why = "no answer";
            } catch (IOException e) {
                if (attempt == RETRIES) {
                    throw new Failure(4, "request to " + base + " failed: " + e.getMessage());
                }
                why = "connection lost (" + e.getMessage() + ")";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Failure(4, "interrupted");
            }
            err.printf("greenlight: %s from %s; retrying in %d ms (%d of %d)%n", why, base, backoff.toMillis(),
                    attempt + 1, RETRIES);
            err.flush();
            pause(backoff);
            backoff = backoff.multipliedBy(2);
        }
    }

    private static void pause(Duration backoff) {
        try {
            Thread.sleep(backoff.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure(4, "interrupted");
        }
    }

    private String key(String file) {
        String fromEnv = System.getenv(switch (file) {
            case "admin.key" -> "GREENLIGHT_ADMIN_KEY";
            case "eventgrid_extension.key" -> "GREENLIGHT_EVENTGRID_KEY";
            default -> "GREENLIGHT_FUNCTION_KEY";
        });
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv.trim();
        }
        try {
            return Files.readString(secrets.resolve(file)).trim();
        } catch (IOException e) {
            throw new Failure(2, "no key in " + secrets.resolve(file) + " (start the host once, or set the key setting)");
        }
    }
}
