package dev.greenlight.registry.arm;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpPipeline;
import com.azure.core.http.HttpPipelineBuilder;
import com.azure.core.http.policy.ExponentialBackoffOptions;
import com.azure.core.http.policy.HttpLogDetailLevel;
import com.azure.core.http.policy.HttpLogOptions;
import com.azure.core.http.policy.HttpLoggingPolicy;
import com.azure.core.http.policy.RequestIdPolicy;
import com.azure.core.http.policy.RetryOptions;
import com.azure.core.http.policy.RetryPolicy;
import com.azure.core.http.policy.UserAgentPolicy;
import com.azure.core.management.http.policy.ArmChallengeAuthenticationPolicy;
import com.azure.core.util.HttpClientOptions;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Builds the one HTTP pipeline Greenlight uses for Azure Resource Manager, once at start-up.
 *
 * <p>Order: user agent, client request id, retry, bearer token, logging. The retry policy sits before the
 * token so every attempt is authorized afresh. azure-core's {@link RetryPolicy}, built without a named
 * retry-after header, waits for the delay a response asks for in {@code retry-after-ms},
 * {@code x-ms-retry-after-ms} or {@code Retry-After} (seconds or an HTTP date), and otherwise backs off
 * exponentially; it retries 408, 429 and 5xx (except 501 and 505) and connection failures, never 4xx
 * answers such as 401, 403 or 404.
 *
 * <p>Each try is bounded by the transport's response timeout: {@link #TRY_TIMEOUT} for the transport built
 * here, so that an ARM that accepts the connection and never answers fails a call after at most four tries
 * and the back-off between them (about 26 s, inside Event Grid's 30 s delivery timeout) as
 * {@code registry_unavailable}, instead of holding it for azure-core's default of 60 s per try.
 */
public final class ArmPipeline {
    /** Azure Resource Manager in the public cloud. */
    public static final URI PUBLIC_CLOUD = URI.create("https://management.azure.com");

    /** How long one try waits for ARM's answer (and between bytes of it) on the transport built here. */
    public static final Duration TRY_TIMEOUT = Duration.ofSeconds(5);

    private static final String USER_AGENT = "greenlight";

    private ArmPipeline() {
    }

    /** Three retries, 0.8 s base delay doubling up to 30 s (unless the service asks for another delay). */
    public static RetryOptions defaultRetryOptions() {
        return retryOptions(3, Duration.ofMillis(800), Duration.ofSeconds(30));
    }

    public static RetryOptions retryOptions(int maxRetries, Duration baseDelay, Duration maxDelay) {
        return new RetryOptions(new ExponentialBackoffOptions()
                .setMaxRetries(maxRetries).setBaseDelay(baseDelay).setMaxDelay(maxDelay));
    }

    /**
     * @param armEndpoint {@link #PUBLIC_CLOUD}, or a sovereign cloud's ARM endpoint ({@code GREENLIGHT_ARM_ENDPOINT})
     * @param httpClient  the transport, or null for azure-core's default with {@link #TRY_TIMEOUT}
     */
    public static HttpPipeline create(TokenCredential credential, URI armEndpoint, HttpClient httpClient) {
        return create(credential, armEndpoint, httpClient, defaultRetryOptions());
    }

    public static HttpPipeline create(TokenCredential credential, URI armEndpoint, HttpClient httpClient,
                                      RetryOptions retry) {
        Objects.requireNonNull(credential, "credential");
        Objects.requireNonNull(retry, "retry");
        return new HttpPipelineBuilder()
                .httpClient(httpClient != null ? httpClient : HttpClient.createDefault(new HttpClientOptions()
                        .setResponseTimeout(TRY_TIMEOUT).setReadTimeout(TRY_TIMEOUT)))
                .policies(
                        new UserAgentPolicy(USER_AGENT),
                        new RequestIdPolicy(),
                        new RetryPolicy(retry),
                        // A BearerTokenAuthenticationPolicy that also answers ARM's claims challenges.
                        new ArmChallengeAuthenticationPolicy(credential, scope(armEndpoint)),
                        // BASIC: method, URL (query values redacted but api-version), status, time; no
                        // headers, so no Authorization, and no bodies.
                        new HttpLoggingPolicy(new HttpLogOptions()
                                .setLogLevel(HttpLogDetailLevel.BASIC)
                                .addAllowedQueryParamName("api-version")))
                .build();
    }

    /** The token scope of an ARM endpoint: {@code https://management.azure.com/.default}. */
    public static String scope(URI armEndpoint) {
        String base = ArmClient.origin(armEndpoint);
        return base + "/.default";
    }
}
