from internhost.gui.qt_fixes import spare_true

spare_true()
