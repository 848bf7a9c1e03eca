package dev.greenlight.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import dev.greenlight.app.Greenlight;
import java.util.Optional;
import java.util.function.Supplier;

/** `POST /api/v2/models/{model}/infer`: Open Inference Protocol v2 inference. */
public class Infer {
    private final Supplier<Greenlight> app;

    public Infer() {
        this(Greenlight::instance);
    }

    Infer(Supplier<Greenlight> app) {
        this.app = app;
    }

    @FunctionName("Infer")
    public HttpResponseMessage run(
            @HttpTrigger(name = "req", methods = {HttpMethod.POST}, authLevel = AuthorizationLevel.FUNCTION,
                    route = "v2/models/{model}/infer") HttpRequestMessage<Optional<String>> request,
            @BindingName("model") String model,
            ExecutionContext context) {
        return Http.handle(request, context, () -> {
            Greenlight greenlight = app.get();
            String body = Http.body(request, greenlight.settings().maxBodyBytes());
            return Http.answer(request, greenlight.inference().infer(model, body));
        });
    }
}
