package dev.osmosis.app.ui;

import org.kordamp.ikonli.Ikon;
import org.kordamp.ikonli.javafx.FontIcon;

/** Ikonli font icons (Material 2 pack), sized for toolbars and buttons. */
public final class Icons {
    private Icons() {}

    public static FontIcon of(Ikon ikon) {
        return of(ikon, 16);
    }

    public static FontIcon of(Ikon ikon, int size) {
        FontIcon icon = new FontIcon(ikon);
        icon.setIconSize(size);
        return icon;
    }
}
