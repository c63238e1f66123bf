package dev.osmosis.app.plugins;

import dev.osmosis.engine.plugin.SettingSpec;
import java.util.Optional;
import javafx.beans.binding.Bindings;
import javafx.beans.value.ObservableValue;
import org.controlsfx.control.PropertySheet;

/** One declared plugin setting as a ControlsFX property sheet row, reading and writing the plugin's text values. */
final class SettingItem implements PropertySheet.Item {
    private final PluginState state;
    private final SettingSpec spec;

    SettingItem(PluginState state, SettingSpec spec) {
        this.state = state;
        this.spec = spec;
    }

    SettingSpec spec() {
        return spec;
    }

    @Override
    public Class<?> getType() {
        return switch (spec.type()) {
            case INTEGER -> Integer.class;
            case DECIMAL -> Double.class;
            case BOOLEAN -> Boolean.class;
            default -> String.class;
        };
    }

    @Override
    public String getCategory() {
        return state.plugin().displayName();
    }

    @Override
    public String getName() {
        return spec.label();
    }

    @Override
    public String getDescription() {
        String range = spec.min() != null || spec.max() != null
                ? " (" + fmt(spec.min()) + " to " + fmt(spec.max()) + ", default " + spec.defaultValue() + ")"
                : " (default " + (spec.defaultValue().isEmpty() ? "none" : spec.defaultValue()) + ")";
        return (spec.description() == null ? "" : spec.description()) + range;
    }

    private String fmt(Double d) {
        return d == null ? "any" : spec.type() == SettingSpec.Type.INTEGER ? Long.toString(d.longValue()) : d.toString();
    }

    @Override
    public Object getValue() {
        return typed(state.values().get(spec.key()));
    }

    @Override
    public void setValue(Object value) {
        String text = value == null ? "" : value instanceof Double d && spec.type() == SettingSpec.Type.DECIMAL
                ? Double.toString(d) : String.valueOf(value);
        if (!text.equals(state.values().get(spec.key()))) {
            state.set(spec.key(), text);
        }
    }

    @Override
    public Optional<ObservableValue<? extends Object>> getObservableValue() {
        return Optional.of(Bindings.createObjectBinding(() -> typed(state.values().get(spec.key())), state.values()));
    }

    private Object typed(String text) {
        if (text == null) {
            return null;
        }
        try {
            return switch (spec.type()) {
                case INTEGER -> Integer.valueOf(text.strip());
                case DECIMAL -> Double.valueOf(text.strip());
                case BOOLEAN -> Boolean.valueOf(spec.validate(text));
                default -> text;
            };
        } catch (IllegalArgumentException e) {
            return spec.type() == SettingSpec.Type.BOOLEAN ? Boolean.FALSE
                    : spec.type() == SettingSpec.Type.INTEGER ? Integer.valueOf(0)
                    : spec.type() == SettingSpec.Type.DECIMAL ? Double.valueOf(0) : text;
        }
    }
}
