package dev.greenlight.registry.arm;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import com.azure.core.http.HttpClient;
import com.azure.core.http.netty.NettyAsyncHttpClientBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.greenlight.json.Json;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLException;
import reactor.core.publisher.Mono;

/** The documented ARM examples, a fixed-token credential, and a transport that trusts WireMock's HTTPS. */
final class ArmFixtures {
    static final String TOKEN = "test-token";
    static final String API_VERSION = ArmModelRegistry.DEFAULT_API_VERSION;

    private ArmFixtures() {
    }

    /**
     * Bearer tokens are only sent over HTTPS, so WireMock serves HTTPS with its self-signed certificate,
     * which this client (tests only) trusts. Shared: one event loop for all tests.
     */
    static final HttpClient TRUSTING_HTTP_CLIENT = trustingClient();

    private static HttpClient trustingClient() {
        try {
            SslContext ssl = SslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE).build();
            return new NettyAsyncHttpClientBuilder(reactor.netty.http.client.HttpClient.create()
                    .secure(spec -> spec.sslContext(ssl))).build();
        } catch (SSLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Three retries, 10 ms apart at first, so retry tests stay fast unless the service asks for a delay. */
    static final com.azure.core.http.policy.RetryOptions FAST_RETRIES =
            ArmPipeline.retryOptions(3, Duration.ofMillis(10), Duration.ofMillis(50));

    /** Hands out a fixed token and remembers the scopes it was asked for. */
    static final class FakeCredential implements TokenCredential {
        final List<String> scopes = new CopyOnWriteArrayList<>();

        @Override
        public Mono<AccessToken> getToken(TokenRequestContext request) {
            scopes.addAll(request.getScopes());
            return Mono.just(new AccessToken(TOKEN, OffsetDateTime.now().plusHours(1)));
        }
    }

    /** The whole example file, e.g. {@code 2024-04-01/Workspace/ModelVersion/get.json}. */
    static JsonNode example(String file) {
        try (InputStream in = ArmFixtures.class.getResourceAsStream("/arm/" + file)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture /arm/" + file);
            }
            return Json.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A copy of the example's 200 response body. */
    static ObjectNode responseBody(String file) {
        return (ObjectNode) example(file).path("responses").path("200").path("body").deepCopy();
    }

    /** A copy of the example's request body ({@code parameters.body}). */
    static ObjectNode requestBody(String file) {
        return (ObjectNode) example(file).path("parameters").path("body").deepCopy();
    }

    /** The example's {@code parameters} (subscription, group, workspace or registry, names). */
    static JsonNode parameters(String file) {
        return example(file).path("parameters");
    }
}
