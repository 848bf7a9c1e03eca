package dev.greenlight.local.host.testapp;

import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;

import java.util.Optional;

/** A route with an int constraint and an optional trailing parameter. */
public class Items {

    @FunctionName("Items")
    public HttpResponseMessage run(
            @HttpTrigger(name = "req", methods = {HttpMethod.GET}, authLevel = AuthorizationLevel.ANONYMOUS,
                    route = "items/{id:int}/{view?}") HttpRequestMessage<Optional<String>> request,
            @BindingName("id") String id, @BindingName("view") String view) {
        return request.createResponseBuilder(HttpStatus.OK).body(id + "/" + view).build();
    }
}
