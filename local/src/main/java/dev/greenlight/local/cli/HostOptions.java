package dev.greenlight.local.cli;

import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where the running Greenlight is and where its keys are: shared by the operator commands. */
final class HostOptions {
    @Option(names = "--url", defaultValue = "http://localhost:7071",
            description = "Base URL of the running Greenlight (default: ${DEFAULT-VALUE}).")
    URI url;

    @Option(names = "--data", defaultValue = ".greenlight",
            description = "Data folder holding the generated keys (default: ${DEFAULT-VALUE}).")
    Path data;

    /** A client that reports its retries on {@code err}. */
    HostClient client(PrintWriter err) {
        return new HostClient(url, data, err);
    }
}
