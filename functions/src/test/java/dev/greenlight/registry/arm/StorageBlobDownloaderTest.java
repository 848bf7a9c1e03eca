package dev.greenlight.registry.arm;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.head;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The default downloader against WireMock speaking the Blob service's REST dialect. */
class StorageBlobDownloaderTest {
    private static final byte[] ONNX = "onnx-bytes".getBytes(StandardCharsets.UTF_8);

    private final WireMockServer wm = new WireMockServer(options().httpDisabled(true).dynamicHttpsPort());
    private BlobDownloader downloader;
    private String base;

    @BeforeEach
    void start() {
        wm.start();
        base = "https://localhost:" + wm.httpsPort();
        downloader = BlobDownloader.storage(new ArmFixtures.FakeCredential(), ArmFixtures.TRUSTING_HTTP_CLIENT);
    }

    @AfterEach
    void stop() {
        wm.stop();
    }

    private static ResponseDefinitionBuilder blob(byte[] content) {
        return aResponse().withStatus(200).withBody(content)
                .withHeader("Content-Length", String.valueOf(content.length))
                .withHeader("Content-Range", "bytes 0-" + (content.length - 1) + "/" + content.length)
                .withHeader("x-ms-blob-type", "BlockBlob").withHeader("ETag", "\"0x1\"");
    }

    /**
     * The SDK percent-encodes the blob name, slashes included ({@code /models/m%2Fmodel.onnx}); the service
     * reads that as {@code m/model.onnx}.
     */
    private static String blobPath(String container, String name) {
        return "/" + container + "/" + name.replace("/", "%2F");
    }

    private void stubBlob(String container, String name) {
        wm.stubFor(head(urlPathEqualTo(blobPath(container, name))).willReturn(blob(ONNX).withBody(new byte[0])));
        wm.stubFor(get(urlPathEqualTo(blobPath(container, name))).willReturn(blob(ONNX)));
    }

    private void stubMissing(String container, String name) {
        wm.stubFor(head(urlPathEqualTo(blobPath(container, name))).willReturn(aResponse().withStatus(404)
                .withHeader("x-ms-error-code", "BlobNotFound")));
    }

    private void stubListing(String container, String prefix, String... names) {
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"utf-8\"?><EnumerationResults ServiceEndpoint=\""
                + base + "/\" ContainerName=\"" + container + "\"><Prefix>" + prefix + "</Prefix><Blobs>");
        for (String name : names) {
            xml.append("<Blob><Name>").append(name).append("</Name><Properties><Content-Length>10</Content-Length>"
                    + "<BlobType>BlockBlob</BlobType></Properties></Blob>");
        }
        xml.append("</Blobs><NextMarker /></EnumerationResults>");
        wm.stubFor(get(urlPathEqualTo("/" + container)).withQueryParam("comp", equalTo("list"))
                .withQueryParam("prefix", equalTo(prefix))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/xml").withBody(xml.toString())));
    }

    private static String read(InputStream in) throws IOException {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void reads_a_blob_with_the_identitys_token() throws IOException {
        stubBlob("models", "m/model.onnx");

        assertThat(read(downloader.open(URI.create(base + "/models/m/model.onnx")))).isEqualTo("onnx-bytes");
        assertThat(wm.findAll(anyRequestedFor(anyUrl()))).allSatisfy(r ->
                assertThat(r.getHeader("Authorization")).isEqualTo("Bearer " + ArmFixtures.TOKEN));
    }

    @Test
    void reads_the_single_onnx_blob_under_a_folder() throws IOException {
        stubMissing("models", "m/folder");
        stubListing("models", "m/folder/", "m/folder/MLmodel", "m/folder/model.onnx", "m/folder/conda.yaml");
        stubBlob("models", "m/folder/model.onnx");

        assertThat(read(downloader.open(URI.create(base + "/models/m/folder")))).isEqualTo("onnx-bytes");
    }

    @Test
    void a_folder_without_exactly_one_onnx_blob_is_a_clear_error() {
        stubMissing("models", "m/two");
        stubListing("models", "m/two/", "m/two/a.onnx", "m/two/b.onnx");
        stubListing("models", "m/none/", "m/none/MLmodel");

        assertThatThrownBy(() -> downloader.open(URI.create(base + "/models/m/two")))
                .isInstanceOf(IOException.class).hasMessageContaining("exactly one .onnx").hasMessageContaining("m/two/b.onnx");
        assertThatThrownBy(() -> downloader.open(URI.create(base + "/models/m/none/")))
                .isInstanceOf(IOException.class).hasMessageContaining("found none");
    }

    @Test
    void forbidden_is_access_denied_naming_the_blob() {
        wm.stubFor(head(urlPathEqualTo(blobPath("models", "m/model.onnx"))).willReturn(aResponse().withStatus(403)
                .withHeader("x-ms-error-code", "AuthorizationPermissionMismatch")));

        assertThatThrownBy(() -> downloader.open(URI.create(base + "/models/m/model.onnx")))
                .isInstanceOf(ArmAccessDenied.class).hasMessageContaining("/models/m/model.onnx")
                .hasMessageContaining("Storage Blob Data Reader");
    }
}
