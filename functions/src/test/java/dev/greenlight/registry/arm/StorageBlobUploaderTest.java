package dev.greenlight.registry.arm;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.binaryEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The default uploader against WireMock speaking the Blob service's REST dialect (Put Blob). */
class StorageBlobUploaderTest {
    /** The SDK percent-encodes the slashes of a blob name; the service reads them as slashes. */
    private static final String BLOB_PATH = "/models/greenlight%2Firis-clf%2F4%2Fmodel.onnx";

    private final WireMockServer wm = new WireMockServer(options().httpDisabled(true).dynamicHttpsPort());
    private final List<Long> progress = new CopyOnWriteArrayList<>();
    private final byte[] bytes = new byte[100_000];
    private BlobUploader uploader;
    private URI url;

    @BeforeEach
    void start() {
        wm.start();
        new Random(7).nextBytes(bytes);
        url = URI.create("https://localhost:" + wm.httpsPort() + "/models/greenlight/iris-clf/4/model.onnx");
        uploader = BlobUploader.storage(new ArmFixtures.FakeCredential(), ArmFixtures.TRUSTING_HTTP_CLIENT);
    }

    @AfterEach
    void stop() {
        wm.stop();
    }

    private boolean create() throws IOException {
        return uploader.create(url, new ByteArrayInputStream(bytes), bytes.length, progress::add);
    }

    @Test
    void creates_the_blob_with_the_bytes_only_if_absent_and_reports_progress_to_the_end() throws IOException {
        wm.stubFor(put(urlPathEqualTo(BLOB_PATH)).willReturn(aResponse().withStatus(201)
                .withHeader("ETag", "\"0x1\"").withHeader("Last-Modified", "Mon, 01 Jan 2024 00:00:00 GMT")));

        assertThat(create()).isTrue();

        wm.verify(putRequestedFor(urlPathEqualTo(BLOB_PATH))
                .withHeader("If-None-Match", equalTo("*"))
                .withHeader("x-ms-blob-type", equalTo("BlockBlob"))
                .withHeader("Authorization", equalTo("Bearer " + ArmFixtures.TOKEN))
                .withRequestBody(binaryEqualTo(bytes)));
        assertThat(progress).isNotEmpty().last().isEqualTo((long) bytes.length);
    }

    @Test
    void an_existing_blob_is_left_alone_and_reported_as_taken() throws IOException {
        wm.stubFor(put(urlPathEqualTo(BLOB_PATH)).willReturn(aResponse().withStatus(409)
                .withHeader("x-ms-error-code", "BlobAlreadyExists")));

        assertThat(create()).isFalse();
    }

    @Test
    void forbidden_is_access_denied_naming_the_blob_and_the_role() {
        wm.stubFor(put(urlPathEqualTo(BLOB_PATH)).willReturn(aResponse().withStatus(403)
                .withHeader("x-ms-error-code", "AuthorizationPermissionMismatch")));

        assertThatThrownBy(this::create).isInstanceOf(ArmAccessDenied.class)
                .hasMessageContaining("/models/greenlight/iris-clf/4/model.onnx")
                .hasMessageContaining("Storage Blob Data Contributor");
    }
}
