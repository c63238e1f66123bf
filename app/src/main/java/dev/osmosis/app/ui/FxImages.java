package dev.osmosis.app.ui;

import java.awt.image.BufferedImage;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.image.Image;

/** AWT images from the engine, as JavaFX images for the views. */
public final class FxImages {
    private FxImages() {}

    public static Image toFx(BufferedImage image) {
        return image == null ? null : SwingFXUtils.toFXImage(image, null);
    }
}
