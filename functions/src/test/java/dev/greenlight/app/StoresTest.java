package dev.greenlight.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.greenlight.config.SettingsException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StoresTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "https://acct.blob.core.windows.net/greenlight",
            "http://127.0.0.1:10000/devstoreaccount1/greenlight",
            "UseDevelopmentStorage=true;Container=greenlight",
            "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=c2VjcmV0;EndpointSuffix=core.windows.net;Container=g",
            "BlobEndpoint=https://acct.blob.core.windows.net;SharedAccessSignature=sv=2024&sig=x;Container=g"})
    void a_blob_container_is_never_taken_for_a_folder(String store) {
        assertThat(Stores.localFolder(store)).isEmpty();
    }

    @Test
    void a_folder_is_a_local_store() {
        assertThat(Stores.localFolder("/var/lib/greenlight/store")).contains(Path.of("/var/lib/greenlight/store"));
    }

    @Test
    void a_connection_string_without_a_container_names_the_fix_but_not_the_key() {
        assertThatThrownBy(() -> Stores.from("DefaultEndpointsProtocol=https;AccountName=a;AccountKey=c2VjcmV0"))
                .isInstanceOf(SettingsException.class)
                .hasMessageContaining(";Container=")
                .hasMessageNotContaining("c2VjcmV0");
    }
}
