package dev.greenlight.fanout;

import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpPipeline;
import com.azure.core.http.HttpPipelineBuilder;
import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.http.HttpPipelineNextSyncPolicy;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.ExponentialBackoffOptions;
import com.azure.core.http.policy.HttpPipelinePolicy;
import com.azure.core.http.policy.RetryOptions;
import com.azure.core.http.policy.RetryPolicy;
import com.azure.core.util.Context;
import com.azure.core.util.HttpClientOptions;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.greenlight.json.Json;
import dev.greenlight.store.Pointer;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.publisher.Mono;

/**
 * Tells every configured API instance about a new baseline: one signed call per target, in
 * parallel with a concurrency bound, each try with its own timeout, retried with exponential
 * backoff and jitter by azure-core's {@link RetryPolicy} (5xx, 408, 429, I/O errors; never 4xx
 * like 401). The total time per target is bounded by tries × (timeout + backoff), the timeout
 * being the client's ({@link Policy#client()}). Targets that
 * do not confirm are left for the sync check.
 */
public final class RefreshFanout implements AutoCloseable {
    private static final String ATTEMPTS = "greenlight-attempts";

    /** How hard to try each target. */
    public record Policy(Duration tryTimeout, int maxRetries, Duration baseDelay, Duration maxDelay, int concurrency) {
        public static Policy defaults() {
            return new Policy(Duration.ofSeconds(5), 3, Duration.ofMillis(200), Duration.ofSeconds(2), 16);
        }

        /**
         * An HTTP client whose every try gives up after {@link #tryTimeout()}: the client's own
         * timeouts are what bound a synchronous call (a pipeline timeout policy does not).
         */
        public HttpClient client() {
            return HttpClient.createDefault(new HttpClientOptions().setConnectTimeout(tryTimeout)
                    .setWriteTimeout(tryTimeout).setResponseTimeout(tryTimeout).setReadTimeout(tryTimeout));
        }
    }

    private final List<URI> targets;
    private final RefreshSignature signer;
    private final HttpPipeline pipeline;
    private final ExecutorService calls;
    private final Clock clock;

    public RefreshFanout(List<URI> targets, RefreshSignature signer, HttpClient http, Policy policy, Clock clock) {
        this.targets = List.copyOf(targets);
        this.signer = signer;
        this.clock = clock;
        this.calls = Executors.newFixedThreadPool(Math.max(1, Math.min(policy.concurrency(), Math.max(1, targets.size()))),
                runnable -> {
                    Thread t = new Thread(runnable, "greenlight-fanout");
                    t.setDaemon(true);
                    return t;
                });
        ExponentialBackoffOptions backoff = new ExponentialBackoffOptions().setMaxRetries(policy.maxRetries())
                .setBaseDelay(policy.baseDelay()).setMaxDelay(policy.maxDelay());
        this.pipeline = new HttpPipelineBuilder().httpClient(http).policies(
                new RetryPolicy(new RetryOptions(backoff)),
                new CountAttempts()).build();
    }

    public List<URI> targets() {
        return targets;
    }

    /** Calls every target about {@code pointer} and returns one outcome per target, in target order. */
    public List<RefreshOutcome> fanOut(Pointer pointer) {
        return fanOut(pointer, targets);
    }

    /** Calls the given targets only (the sync check retries those that did not confirm). */
    public List<RefreshOutcome> fanOut(Pointer pointer, List<URI> targets) {
        ObjectNode body = Json.MAPPER.createObjectNode().put("model", pointer.model()).put("version", pointer.version())
                .put("sha256", pointer.sha256()).put("generation", pointer.generation());
        String json = body.toString();
        String signature = signer.sign(json, clock.instant());
        List<Future<RefreshOutcome>> futures = new ArrayList<>();
        for (URI target : targets) {
            futures.add(calls.submit(() -> call(target, json, signature, pointer.version())));
        }
        List<RefreshOutcome> outcomes = new ArrayList<>();
        for (int i = 0; i < futures.size(); i++) {
            try {
                outcomes.add(futures.get(i).get());
            } catch (Exception e) {
                outcomes.add(new RefreshOutcome(targets.get(i).toString(), 0, 0, 0, false, e.toString()));
            }
        }
        return outcomes;
    }

    private RefreshOutcome call(URI target, String json, String signature, String version) {
        AtomicInteger attempts = new AtomicInteger();
        long start = System.nanoTime();
        HttpRequest request = new HttpRequest(HttpMethod.POST, target.toString())
                .setHeader(HttpHeaderName.CONTENT_TYPE, "application/json")
                .setHeader(HttpHeaderName.fromString(RefreshSignature.HEADER), signature)
                .setBody(json);
        try (HttpResponse response = pipeline.sendSync(request, new Context(ATTEMPTS, attempts))) {
            String answer = response.getBodyAsBinaryData().toString();
            boolean confirmed = response.getStatusCode() == 200 && version.equals(versionIn(answer));
            return new RefreshOutcome(target.toString(), response.getStatusCode(), attempts.get(), millisSince(start),
                    confirmed, confirmed ? null : "answered " + response.getStatusCode());
        } catch (RuntimeException e) {
            return new RefreshOutcome(target.toString(), 0, attempts.get(), millisSince(start), false,
                    e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
    }

    private static String versionIn(String answer) {
        try {
            return Json.MAPPER.readTree(answer).path("version").asText(null);
        } catch (Exception e) {
            return null;
        }
    }

    private static long millisSince(long start) {
        return Duration.ofNanos(System.nanoTime() - start).toMillis();
    }

    @Override
    public void close() {
        calls.shutdownNow();
    }

    /** Sits after the retry policy, so it sees every try. */
    private static final class CountAttempts implements HttpPipelinePolicy {
        @Override
        public Mono<HttpResponse> process(HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
            count(context);
            return next.process();
        }

        @Override
        public HttpResponse processSync(HttpPipelineCallContext context, HttpPipelineNextSyncPolicy next) {
            count(context);
            return next.processSync();
        }

        private static void count(HttpPipelineCallContext context) {
            context.getData(ATTEMPTS).ifPresent(a -> ((AtomicInteger) a).incrementAndGet());
        }
    }
}
