package dev.osmosis.app.prompt;

import java.util.Collection;
import java.util.List;
import javafx.beans.property.StringProperty;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.StackPane;
import org.fxmisc.flowless.VirtualizedScrollPane;
import org.fxmisc.richtext.StyleClassedTextArea;
import org.fxmisc.richtext.model.StyleSpans;
import org.fxmisc.richtext.model.StyleSpansBuilder;

/**
 * A multi-line prompt field (RichTextFX) that colours the weight syntax as it is typed, kept in
 * step with a view-model property. Tab moves focus on instead of inserting a tab.
 */
public final class PromptEditor extends StackPane {
    private final StyleClassedTextArea area = new StyleClassedTextArea();
    private Node next;
    private Node previous;
    private boolean syncing;

    public PromptEditor(StringProperty text, String placeholder, double height) {
        getStyleClass().add("prompt-editor");
        area.getStyleClass().add("prompt-area");
        area.setWrapText(true);
        Label hint = new Label(placeholder);
        hint.getStyleClass().add("prompt-placeholder");
        area.setPlaceholder(hint, javafx.geometry.Pos.TOP_LEFT);
        VirtualizedScrollPane<StyleClassedTextArea> scroll = new VirtualizedScrollPane<>(area);
        getChildren().add(scroll);
        setPrefHeight(height);
        setMinHeight(height * 0.6);

        area.replaceText(text.get() == null ? "" : text.get());
        highlight();
        area.textProperty().addListener((obs, o, n) -> {
            highlight();
            if (!syncing) {
                syncing = true;
                text.set(n);
                syncing = false;
            }
        });
        text.addListener((obs, o, n) -> {
            if (!syncing && !area.getText().equals(n)) {
                syncing = true;
                area.replaceText(n == null ? "" : n);
                syncing = false;
            }
        });
        area.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.TAB && !e.isControlDown()) {
                Node target = e.isShiftDown() ? previous : next;
                if (target != null) {
                    target.requestFocus();
                }
                e.consume();
            }
        });
        area.focusedProperty().addListener((obs, was, is) -> pseudoClassStateChanged(
                javafx.css.PseudoClass.getPseudoClass("focused-within"), is));
    }

    /** Where Tab and Shift+Tab go. */
    public void setFocusNeighbours(Node previous, Node next) {
        this.previous = previous;
        this.next = next;
    }

    /** The text area itself (for focus and tests). */
    public StyleClassedTextArea area() {
        return area;
    }

    private void highlight() {
        String text = area.getText();
        List<PromptSyntax.Span> spans = PromptSyntax.highlight(text);
        StyleSpansBuilder<Collection<String>> b = new StyleSpansBuilder<>();
        int at = 0;
        for (PromptSyntax.Span s : spans) {
            if (s.start() > at) {
                b.add(List.of(), s.start() - at);
            }
            b.add(List.of(s.style()), s.end() - s.start());
            at = s.end();
        }
        b.add(List.of(), text.length() - at);
        StyleSpans<Collection<String>> styles = b.create();
        area.setStyleSpans(0, styles);
    }
}
