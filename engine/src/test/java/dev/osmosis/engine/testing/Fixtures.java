package dev.osmosis.engine.testing;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/** Paths of the reference fixtures copied from shared/fixtures into the test resources. */
public final class Fixtures {
    private Fixtures() {}

    public static Path path(String relative) {
        URL url = Fixtures.class.getResource("/fixtures/" + relative);
        if (url == null) {
            throw new IllegalStateException("test fixture missing: fixtures/" + relative);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Path tinySd1() {
        return path("tiny-sd1");
    }

    public static Path reference(String file) {
        return path("tiny-sd1/reference/" + file);
    }
}
