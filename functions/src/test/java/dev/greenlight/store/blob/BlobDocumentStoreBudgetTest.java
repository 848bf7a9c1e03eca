package dev.greenlight.store.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.greenlight.store.DocumentStore;
import dev.greenlight.store.LogCapture;
import dev.greenlight.store.StoreUnavailable;
import java.time.Duration;
import java.util.Base64;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A hanging storage endpoint must not hold a caller past Event Grid's 30 s delivery timeout, and
 * an outage is one log line, not one per call. The store is built as the app builds it.
 */
class BlobDocumentStoreBudgetTest {
    // Well under Event Grid's 30 s, with room for a slow, shared build machine.
    private static final Duration UPPER_BOUND = Duration.ofSeconds(15);

    private HangingEndpoint endpoint;
    private DocumentStore store;
    private LogCapture log;

    @BeforeEach
    void hangingStore() throws Exception {
        endpoint = new HangingEndpoint();
        String key = Base64.getEncoder().encodeToString(new byte[64]);
        String connection = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=" + key
                + ";BlobEndpoint=http://127.0.0.1:" + endpoint.port() + "/devstoreaccount1;";
        store = new BlobDocumentStore(BlobDocumentStore.client(connection, "greenlight"));
        log = LogCapture.of("");
    }

    @AfterEach
    void close() {
        log.close();
        endpoint.close();
    }

    @Test
    void a_read_from_a_hanging_endpoint_fails_as_unavailable_within_the_budget() {
        long start = System.nanoTime();

        assertThatThrownBy(() -> store.read("pointers/iris-clf.json"))
                .isInstanceOf(StoreUnavailable.class)
                .hasMessageContaining("devstoreaccount1/greenlight")
                .hasMessageContaining("pointers/iris-clf.json");

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(UPPER_BOUND);
    }

    @Test
    void the_default_budget_is_about_six_seconds_per_call() {
        assertThat(BlobDocumentStore.Budget.DEFAULT.worstCase()).isEqualTo(Duration.ofMillis(6250));
    }

    @Test
    void a_write_to_a_hanging_endpoint_fails_as_unavailable_within_the_budget() {
        long start = System.nanoTime();

        assertThatThrownBy(() -> store.write("pointers/iris-clf.json", "{}".getBytes(), null))
                .isInstanceOf(StoreUnavailable.class);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(UPPER_BOUND);
    }

    @Test
    void an_outage_is_logged_once_however_many_calls_fail() {
        assertThatThrownBy(() -> store.read("pointers/iris-clf.json")).isInstanceOf(StoreUnavailable.class);
        endpoint.refuse(); // the rest fail fast
        for (int i = 0; i < 20; i++) {
            assertThatThrownBy(() -> store.readIfChanged("pointers/iris-clf.json", "\"0x1\""))
                    .isInstanceOf(StoreUnavailable.class);
        }

        assertThat(log.messages(Level.INFO)).singleElement().asString()
                .contains("devstoreaccount1/greenlight").contains("unavailable");
        assertThat(log.atLeast(Level.ALL)).allSatisfy(r -> assertThat(r.getThrown()).isNull());
    }
}
