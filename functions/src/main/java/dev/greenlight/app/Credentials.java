package dev.greenlight.app;

import com.azure.core.credential.TokenCredential;
import com.azure.identity.DefaultAzureCredentialBuilder;

/**
 * The one Azure credential of the process: managed identity in Azure, developer credentials
 * (az login, environment) elsewhere. Built on first use, so the embedded default never builds one,
 * and shared by the registry, the store and the event publisher, which then share its token cache.
 */
final class Credentials {
    private static volatile TokenCredential shared;

    private Credentials() {
    }

    static TokenCredential shared() {
        TokenCredential current = shared;
        if (current == null) {
            synchronized (Credentials.class) {
                current = shared;
                if (current == null) {
                    current = new DefaultAzureCredentialBuilder().build();
                    shared = current;
                }
            }
        }
        return current;
    }
}
