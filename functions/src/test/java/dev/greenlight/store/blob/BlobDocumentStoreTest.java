package dev.greenlight.store.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.policy.HttpPipelineSyncPolicy;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobContainerClientBuilder;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;
import dev.greenlight.store.DocumentStore;
import dev.greenlight.store.StoreConflict;
import dev.greenlight.store.StoreUnavailable;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The store contract and the Blob specifics, with the real Storage SDK against Azurite; every
 * test gets its own container, which does not exist until the first write creates it.
 */
@ExtendWith(AzuriteExtension.class)
class BlobDocumentStoreTest extends DocumentStoreContract {
    private static Azurite azurite;
    private BlobContainerClient container;

    @BeforeAll
    static void azurite(Azurite running) {
        azurite = running;
    }

    @Override
    protected DocumentStore newStore() {
        container = BlobDocumentStore.client(azurite.connectionString(), "test-" + UUID.randomUUID());
        return new BlobDocumentStore(container);
    }

    @Test
    void creates_the_container_on_the_first_write() {
        assertThat(container.exists()).isFalse();

        store.write("pointers/a.json", json("{}"), null);

        assertThat(container.exists()).isTrue();
    }

    @Test
    void stores_documents_as_json_blobs() {
        store.write("pointers/a.json", json("{\"version\":\"1\"}"), null);

        var properties = container.getBlobClient("pointers/a.json").getProperties();

        assertThat(properties.getContentType()).isEqualTo("application/json");
        assertThat(properties.getBlobSize()).isEqualTo(15);
    }

    @Test
    void keeps_the_etag_as_the_service_sends_it() {
        String etag = store.write("pointers/a.json", json("{}"), null);

        assertThat(etag).isEqualTo(container.getBlobClient("pointers/a.json").getProperties().getETag());
    }

    @Test
    void polling_an_unchanged_document_is_one_conditional_get() {
        String etag = store.write("pointers/a.json", json("{}"), null);
        Recorder recorder = new Recorder();
        DocumentStore polling = new BlobDocumentStore(recorded(recorder));

        assertThat(polling.readIfChanged("pointers/a.json", etag)).isEmpty();

        assertThat(recorder.requests).containsExactly("GET If-None-Match: " + etag);
    }

    @Test
    void replacing_a_document_is_one_put_with_if_match() {
        String etag = store.write("pointers/a.json", json("{}"), null);
        Recorder recorder = new Recorder();
        DocumentStore writing = new BlobDocumentStore(recorded(recorder));

        writing.write("pointers/a.json", json("{\"version\":\"2\"}"), etag);

        assertThat(recorder.requests).containsExactly("PUT If-Match: " + etag);
    }

    @Test
    void a_conflict_names_the_document_and_the_etag_it_expected() {
        String first = store.write("pointers/a.json", json("{\"version\":\"1\"}"), null);
        store.write("pointers/a.json", json("{\"version\":\"2\"}"), first);

        assertThatThrownBy(() -> store.write("pointers/a.json", json("{\"version\":\"3\"}"), first))
                .isInstanceOf(StoreConflict.class)
                .hasMessageContaining("pointers/a.json")
                .hasMessageContaining(first)
                .hasMessageContaining("412");
    }

    @Test
    void a_rejected_request_is_unavailable_with_the_status_and_the_error_code() {
        String wrongKey = azurite.connectionString().replaceFirst("AccountKey=[^;]+",
                "AccountKey=" + Base64.getEncoder().encodeToString(new byte[64]));
        DocumentStore store = new BlobDocumentStore(BlobDocumentStore.client(wrongKey, container.getBlobContainerName()));

        assertThatThrownBy(() -> store.read("pointers/a.json"))
                .isInstanceOf(StoreUnavailable.class)
                .hasMessageContaining("pointers/a.json")
                .hasMessageContaining("403")
                .hasMessageContaining("AuthorizationFailure")
                .hasCauseInstanceOf(BlobStorageException.class);
    }

    @Test
    void an_unreachable_endpoint_is_unavailable_not_a_hang() {
        int closedPort = Azurite.freePort();
        String unreachable = azurite.connectionString().replaceFirst("BlobEndpoint=[^;]+",
                "BlobEndpoint=http://127.0.0.1:" + closedPort + "/" + Azurite.ACCOUNT);
        DocumentStore store = new BlobDocumentStore(new BlobContainerClientBuilder()
                .connectionString(unreachable)
                .containerName(container.getBlobContainerName())
                .retryOptions(new RequestRetryOptions(RetryPolicyType.FIXED, 2, Duration.ofSeconds(2),
                        Duration.ofMillis(10), Duration.ofMillis(10), null))
                .buildClient());

        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            assertThatThrownBy(() -> store.readIfChanged("pointers/a.json", "\"0x1\""))
                    .isInstanceOf(StoreUnavailable.class)
                    .hasMessageContaining("pointers/a.json")
                    .hasMessageContaining("Connect");
            assertThatThrownBy(() -> store.write("pointers/a.json", json("{}"), null))
                    .isInstanceOf(StoreUnavailable.class)
                    .hasCauseInstanceOf(RuntimeException.class);
        });
    }

    /** A client for this test's container that shows {@code recorder} every request it sends. */
    private BlobContainerClient recorded(Recorder recorder) {
        return new BlobContainerClientBuilder()
                .connectionString(azurite.connectionString())
                .containerName(container.getBlobContainerName())
                .addPolicy(recorder)
                .buildClient();
    }

    /** Records each request that reaches the wire (retries too), with its ETag condition. */
    private static final class Recorder extends HttpPipelineSyncPolicy {
        final List<String> requests = new CopyOnWriteArrayList<>();

        @Override
        protected void beforeSendingRequest(HttpPipelineCallContext context) {
            var request = context.getHttpRequest();
            String ifMatch = request.getHeaders().getValue(HttpHeaderName.IF_MATCH);
            String ifNoneMatch = request.getHeaders().getValue(HttpHeaderName.IF_NONE_MATCH);
            requests.add(request.getHttpMethod()
                    + (ifMatch == null ? "" : " If-Match: " + ifMatch)
                    + (ifNoneMatch == null ? "" : " If-None-Match: " + ifNoneMatch));
        }
    }
}
