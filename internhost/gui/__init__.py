from internhost.gui.qt_fixes import spare_none, spare_true

spare_true()
spare_none()
