package dev.greenlight.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import dev.greenlight.app.Greenlight;
import java.util.Optional;
import java.util.function.Supplier;

/** `GET /api/status`: what this instance serves, its counters, its last load error and each ledger. */
public class Status {
    private final Supplier<Greenlight> app;

    public Status() {
        this(Greenlight::instance);
    }

    Status(Supplier<Greenlight> app) {
        this.app = app;
    }

    @FunctionName("Status")
    public HttpResponseMessage run(
            @HttpTrigger(name = "req", methods = {HttpMethod.GET}, authLevel = AuthorizationLevel.FUNCTION,
                    route = "status") HttpRequestMessage<Optional<String>> request,
            ExecutionContext context) {
        return Http.handle(request, context, () -> {
            return Http.json(request, 200, app.get().statusWithLedger().toString());
        });
    }
}
