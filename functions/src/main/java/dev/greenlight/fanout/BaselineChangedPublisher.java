package dev.greenlight.fanout;

import com.azure.core.credential.AzureKeyCredential;
import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.policy.ExponentialBackoffOptions;
import com.azure.core.http.policy.RetryOptions;
import com.azure.core.models.CloudEvent;
import com.azure.core.models.CloudEventDataFormat;
import com.azure.core.util.BinaryData;
import com.azure.core.util.HttpClientOptions;
import com.azure.messaging.eventgrid.EventGridPublisherClient;
import com.azure.messaging.eventgrid.EventGridPublisherClientBuilder;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.greenlight.errors.Unavailable;
import dev.greenlight.json.Json;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Set;

/**
 * Announces every baseline change (a flip or a rollback) as one CloudEvents 1.0 event of type
 * {@value #TYPE} on an Event Grid topic, so that systems outside Greenlight can react without
 * polling. The event's {@code data} is the {@link BaselineChange} as JSON:
 * {@code {"model","oldVersion","newVersion","generation","decisionId","outcome"}}.
 *
 * <p>The event id is the decision id, so publishing the same decision twice (a retry, a
 * redelivered trigger) sends the same id and subscribers can drop the duplicate.
 *
 * <p>Each publish tries at most {@value #TRIES} times with short backoff, each try bounded by
 * the HTTP client's timeouts ({@value #TRY_TIMEOUT_SECONDS} s with the client the factories
 * build), so a slow or failing topic holds the caller for seconds, not minutes. When it still
 * fails, {@link #publish} throws {@link Unavailable} (cause kept): the caller logs it and moves
 * on. The pointer is the truth, the event only a notice; a missed event must never block or undo
 * a flip.
 */
public final class BaselineChangedPublisher {
    /** The CloudEvents {@code type} of every event this publisher sends. */
    public static final String TYPE = "Greenlight.BaselineChanged";

    static final int TRIES = 3;
    static final long TRY_TIMEOUT_SECONDS = 5;
    private static final Duration TRY_TIMEOUT = Duration.ofSeconds(TRY_TIMEOUT_SECONDS);
    private static final Set<String> OUTCOMES = Set.of("PROMOTED", "ROLLED_BACK");

    /**
     * One baseline change, as subscribers receive it in the event's {@code data}.
     *
     * @param oldVersion the baseline before the change; null when the model had none
     * @param outcome {@code PROMOTED} or {@code ROLLED_BACK}
     */
    public record BaselineChange(String model, String oldVersion, String newVersion, long generation, String decisionId,
                                 String outcome) {
        public BaselineChange {
            requireText(model, "model");
            requireText(newVersion, "newVersion");
            requireText(decisionId, "decisionId");
            if (oldVersion != null && oldVersion.isBlank()) {
                throw new IllegalArgumentException("baseline change oldVersion must be null or non-blank, was '"
                        + oldVersion + "'");
            }
            if (generation < 1) {
                throw new IllegalArgumentException("baseline change generation must be >= 1, was " + generation);
            }
            if (!OUTCOMES.contains(outcome)) {
                throw new IllegalArgumentException("baseline change outcome must be PROMOTED or ROLLED_BACK, was "
                        + outcome);
            }
        }

        private static void requireText(String value, String field) {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException("baseline change " + field + " must not be blank, was "
                        + (value == null ? "null" : "'" + value + "'"));
            }
        }
    }

    private final EventGridPublisherClient<CloudEvent> client;
    private final String source;
    private final Clock clock;

    /** Publishes through {@code client} with the per-model source {@code /greenlight/models/{model}}. */
    public BaselineChangedPublisher(EventGridPublisherClient<CloudEvent> client) {
        this(client, null, Clock.systemUTC());
    }

    /**
     * @param source the CloudEvents {@code source} of every event, or null for the per-model
     *     {@code /greenlight/models/{model}}
     * @param clock gives each event's {@code time}
     */
    public BaselineChangedPublisher(EventGridPublisherClient<CloudEvent> client, String source, Clock clock) {
        this.client = Objects.requireNonNull(client, "client");
        if (source != null && source.isBlank()) {
            throw new IllegalArgumentException("event source must be null (per model) or non-blank, was '" + source + "'");
        }
        this.source = source;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * A publisher to the topic at {@code endpoint} ({@code https://{topic}.{region}-1.eventgrid.azure.net/api/events})
     * authenticated with a topic access key (sent as {@code aeg-sas-key}).
     *
     * @param httpClient the transport, or null for one whose tries time out after
     *     {@value #TRY_TIMEOUT_SECONDS} s
     */
    public static BaselineChangedPublisher forTopic(String endpoint, String key, HttpClient httpClient) {
        requireEndpoint(endpoint);
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("Event Grid topic key must not be blank");
        }
        return new BaselineChangedPublisher(builder(endpoint, httpClient).credential(new AzureKeyCredential(key))
                .buildCloudEventPublisherClient());
    }

    /**
     * A publisher to the topic at {@code endpoint} authenticated with an Entra ID token, such as
     * the app's managed identity ({@code DefaultAzureCredential}); the identity needs the
     * EventGrid Data Sender role on the topic.
     *
     * @param httpClient the transport, or null for one whose tries time out after
     *     {@value #TRY_TIMEOUT_SECONDS} s
     */
    public static BaselineChangedPublisher forTopic(String endpoint, TokenCredential credential, HttpClient httpClient) {
        requireEndpoint(endpoint);
        Objects.requireNonNull(credential, "credential");
        return new BaselineChangedPublisher(builder(endpoint, httpClient).credential(credential)
                .buildCloudEventPublisherClient());
    }

    private static EventGridPublisherClientBuilder builder(String endpoint, HttpClient httpClient) {
        // azure-core's defaults (4 tries, each waiting up to 60 s for a response, 0.8-8 s backoff)
        // can hold a caller for minutes; a notice after a flip is not worth that wait.
        ExponentialBackoffOptions backoff = new ExponentialBackoffOptions().setMaxRetries(TRIES - 1)
                .setBaseDelay(Duration.ofMillis(250)).setMaxDelay(Duration.ofSeconds(1));
        return new EventGridPublisherClientBuilder().endpoint(endpoint)
                .httpClient(httpClient != null ? httpClient : HttpClient.createDefault(new HttpClientOptions()
                        .setConnectTimeout(TRY_TIMEOUT).setWriteTimeout(TRY_TIMEOUT)
                        .setResponseTimeout(TRY_TIMEOUT).setReadTimeout(TRY_TIMEOUT)))
                .retryOptions(new RetryOptions(backoff));
    }

    private static void requireEndpoint(String endpoint) {
        // azure-core refuses to send a key or token over plain HTTP, but only at send time and
        // retried like a network error; a wrong setting should fail at startup instead.
        URI uri;
        try {
            uri = endpoint == null ? null : new URI(endpoint);
        } catch (URISyntaxException e) {
            uri = null;
        }
        if (uri == null || !"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("Event Grid topic endpoint must be an https URL such as "
                    + "https://{topic}.{region}-1.eventgrid.azure.net/api/events, was " + endpoint);
        }
    }

    /**
     * Sends one {@value #TYPE} event for {@code change}: source as configured, subject
     * {@code models/{model}:{newVersion}}, id the decision id, time now (to the millisecond:
     * the JDK clock's nanoseconds are more than many subscribers' date parsers accept), JSON data.
     *
     * @throws Unavailable when the topic did not accept the event after every try; log it and
     *     go on
     */
    public void publish(BaselineChange change) {
        Objects.requireNonNull(change, "change");
        CloudEvent event = new CloudEvent(source != null ? source : "/greenlight/models/" + change.model(), TYPE,
                BinaryData.fromString(json(change)), CloudEventDataFormat.JSON, "application/json")
                .setId(change.decisionId())
                .setSubject("models/" + change.model() + ":" + change.newVersion())
                .setTime(OffsetDateTime.ofInstant(clock.instant().truncatedTo(ChronoUnit.MILLIS), ZoneOffset.UTC));
        try {
            client.sendEvent(event);
        } catch (RuntimeException e) {
            throw new Unavailable("event_publish_failed", "could not publish " + TYPE + " for " + change.model() + ":"
                    + change.newVersion() + " (decision " + change.decisionId() + "): " + e.getMessage(), e);
        }
    }

    private static String json(BaselineChange change) {
        try {
            return Json.MAPPER.writeValueAsString(change);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
