package dev.osmosis.app.ui;

import java.util.function.DoubleFunction;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.Spinner;
import javafx.scene.control.SpinnerValueFactory;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.util.StringConverter;

/**
 * Small builders shared by the views: spinners kept in step with view-model properties (through
 * listeners, not {@code asObject()} bindings, whose adapter objects are collected and silently
 * unbind; JavaFX 18+ commits typed text on Enter and on focus loss), labelled fields, section titles.
 */
public final class Controls {
    private Controls() {}

    public static Spinner<Integer> intSpinner(IntegerProperty value, int min, int max, int step) {
        Spinner<Integer> s = new Spinner<>();
        SpinnerValueFactory.IntegerSpinnerValueFactory f =
                new SpinnerValueFactory.IntegerSpinnerValueFactory(min, max, clamp(value.get(), min, max), step);
        f.setConverter(new StringConverter<>() {
            @Override
            public String toString(Integer v) {
                return v == null ? "" : v.toString();
            }

            @Override
            public Integer fromString(String s) {
                try {
                    return Integer.parseInt(s.strip());
                } catch (NumberFormatException e) {
                    return f.getValue();
                }
            }
        });
        s.setValueFactory(f);
        s.setEditable(true);
        f.valueProperty().addListener((obs, o, n) -> {
            if (n != null && n != value.get()) {
                value.set(n);
            }
        });
        value.addListener((obs, o, n) -> {
            if (n.intValue() != f.getValue()) {
                f.setValue(clamp(n.intValue(), min, max));
            }
        });
        return s;
    }

    public static Spinner<Double> doubleSpinner(DoubleProperty value, double min, double max, double step,
            DoubleFunction<String> format) {
        Spinner<Double> s = new Spinner<>();
        SpinnerValueFactory.DoubleSpinnerValueFactory f =
                new SpinnerValueFactory.DoubleSpinnerValueFactory(min, max, Math.max(min, Math.min(max, value.get())), step);
        f.setConverter(new StringConverter<>() {
            @Override
            public String toString(Double v) {
                return v == null ? "" : format.apply(v);
            }

            @Override
            public Double fromString(String text) {
                try {
                    return Double.parseDouble(text.strip().replace(',', '.'));
                } catch (NumberFormatException e) {
                    return f.getValue();
                }
            }
        });
        s.setValueFactory(f);
        s.setEditable(true);
        f.valueProperty().addListener((obs, o, n) -> {
            if (n != null && n != value.get()) {
                value.set(n);
            }
        });
        value.addListener((obs, o, n) -> {
            if (n.doubleValue() != f.getValue()) {
                f.setValue(n.doubleValue());
            }
        });
        return s;
    }

    private static int clamp(int v, int min, int max) {
        return Math.max(min, Math.min(max, v));
    }

    /** A caption above a control. */
    public static VBox field(String caption, Node control, String tooltip) {
        Label l = new Label(caption);
        l.getStyleClass().add("field-label");
        if (tooltip != null) {
            Tooltip t = new Tooltip(tooltip);
            t.setWrapText(true);
            t.setMaxWidth(360);
            l.setTooltip(t);
            if (control instanceof javafx.scene.control.Control c) {
                c.setTooltip(t);
            }
        }
        l.setLabelFor(control);
        VBox box = new VBox(4, l, control);
        if (control instanceof Region r) {
            r.setMaxWidth(Double.MAX_VALUE);
        }
        return box;
    }

    /** A row of fields sharing the width equally. */
    public static HBox row(Node... fields) {
        HBox row = new HBox(10, fields);
        row.setAlignment(Pos.BOTTOM_LEFT);
        for (Node n : fields) {
            HBox.setHgrow(n, Priority.ALWAYS);
            if (n instanceof Region r) {
                r.setMaxWidth(Double.MAX_VALUE);
                r.setMinWidth(0);
                r.setPrefWidth(10);
            }
        }
        return row;
    }

    public static Label sectionTitle(String text) {
        Label l = new Label(text);
        l.getStyleClass().add("section-title");
        l.setPadding(new Insets(6, 0, 0, 0));
        return l;
    }

    public static Region hgrow() {
        Region r = new Region();
        HBox.setHgrow(r, Priority.ALWAYS);
        return r;
    }
}
