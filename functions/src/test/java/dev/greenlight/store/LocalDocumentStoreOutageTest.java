package dev.greenlight.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.greenlight.errors.ErrorMapper;
import dev.greenlight.errors.GreenlightException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A local store that fails: its folder is a plain file (a broken mount, say), which even root
 * cannot read documents under, unlike a folder without read permission.
 */
class LocalDocumentStoreOutageTest {
    @TempDir
    Path dir;

    private final LogCapture log = LogCapture.of(LocalDocumentStore.class.getName());

    @AfterEach
    void close() {
        log.close();
    }

    @Test
    void a_failing_store_is_503_store_unavailable_naming_the_store_and_the_document() throws IOException {
        Path root = Files.writeString(dir.resolve("store"), "not a folder");
        LocalDocumentStore store = new LocalDocumentStore(root);

        assertThatThrownBy(() -> store.read("ledgers/iris-clf.json"))
                .isInstanceOfSatisfying(StoreUnavailable.class, e -> {
                    assertThat(e.kind()).isEqualTo(GreenlightException.Kind.UNAVAILABLE);
                    assertThat(e.code()).isEqualTo("store_unavailable");
                    assertThat(ErrorMapper.map(e).status()).isEqualTo(503);
                })
                .hasMessageContaining("the store " + root)
                .hasMessageContaining("ledgers/iris-clf.json")
                .hasCauseInstanceOf(IOException.class);
        assertThatThrownBy(() -> store.write("ledgers/iris-clf.json", new byte[0], null))
                .isInstanceOf(StoreUnavailable.class).hasMessageContaining("cannot write ledgers/iris-clf.json");
    }

    @Test
    void an_outage_is_one_line_when_it_starts_and_one_when_it_ends() throws IOException {
        Path root = Files.writeString(dir.resolve("store"), "not a folder");
        LocalDocumentStore store = new LocalDocumentStore(root);
        for (int i = 0; i < 50; i++) {
            assertThatThrownBy(() -> store.readIfChanged("pointers/iris-clf.json", null))
                    .isInstanceOf(StoreUnavailable.class);
        }
        Files.delete(root);
        Files.createDirectory(root);

        assertThat(store.read("pointers/iris-clf.json")).isEmpty();

        assertThat(log.messages(Level.ALL)).hasSize(2);
        assertThat(log.messages(Level.WARNING)).singleElement().asString().contains("the store " + root)
                .contains("is unavailable");
        assertThat(log.messages(Level.INFO).get(1)).contains("recovered after 50 failed calls");
        assertThat(log.atLeast(Level.ALL)).allSatisfy(r -> assertThat(r.getThrown()).isNull());
    }

    @Test
    void a_lost_race_is_409_store_conflict() {
        LocalDocumentStore store = new LocalDocumentStore(dir);
        store.write("pointers/iris-clf.json", new byte[]{'1'}, null);

        assertThatThrownBy(() -> store.write("pointers/iris-clf.json", new byte[]{'2'}, null))
                .isInstanceOfSatisfying(StoreConflict.class, e -> {
                    assertThat(e.code()).isEqualTo("store_conflict");
                    assertThat(ErrorMapper.map(e).status()).isEqualTo(409);
                });
    }
}
