# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'intern_header.ui'
##
## Created by: Qt User Interface Compiler version 6.12.0
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import (QCoreApplication, QDate, QDateTime, QLocale,
    QMetaObject, QObject, QPoint, QRect,
    QSize, QTime, QUrl, Qt)
from PySide6.QtGui import (QBrush, QColor, QConicalGradient, QCursor,
    QFont, QFontDatabase, QGradient, QIcon,
    QImage, QKeySequence, QLinearGradient, QPainter,
    QPalette, QPixmap, QRadialGradient, QTransform)
from PySide6.QtWidgets import (QApplication, QHBoxLayout, QLabel, QSizePolicy,
    QSpacerItem, QWidget)

class Ui_InternHeader(object):
    def setupUi(self, InternHeader):
        if not InternHeader.objectName():
            InternHeader.setObjectName(u"InternHeader")
        InternHeader.resize(720, 40)
        self.headerLayout = QHBoxLayout(InternHeader)
        self.headerLayout.setSpacing(8)
        self.headerLayout.setObjectName(u"headerLayout")
        self.headerLayout.setContentsMargins(0, 0, 0, 0)
        self.nameLabel = QLabel(InternHeader)
        self.nameLabel.setObjectName(u"nameLabel")
        self.nameLabel.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.nameLabel.setProperty(u"role", u"title")

        self.headerLayout.addWidget(self.nameLabel, 0, Qt.AlignmentFlag.AlignBottom)

        self.nameGap = QSpacerItem(6, 0, QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Minimum)

        self.headerLayout.addItem(self.nameGap)

        self.summaryLabel = QLabel(InternHeader)
        self.summaryLabel.setObjectName(u"summaryLabel")
        self.summaryLabel.setProperty(u"role", u"muted")

        self.headerLayout.addWidget(self.summaryLabel, 0, Qt.AlignmentFlag.AlignBottom)

        self.ruleChangeBadge = QLabel(InternHeader)
        self.ruleChangeBadge.setObjectName(u"ruleChangeBadge")
        sizePolicy = QSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        sizePolicy.setHorizontalStretch(0)
        sizePolicy.setVerticalStretch(0)
        sizePolicy.setHeightForWidth(self.ruleChangeBadge.sizePolicy().hasHeightForWidth())
        self.ruleChangeBadge.setSizePolicy(sizePolicy)
        self.ruleChangeBadge.setProperty(u"role", u"badge")

        self.headerLayout.addWidget(self.ruleChangeBadge, 0, Qt.AlignmentFlag.AlignBottom)

        self.archivedBadge = QLabel(InternHeader)
        self.archivedBadge.setObjectName(u"archivedBadge")
        sizePolicy.setHeightForWidth(self.archivedBadge.sizePolicy().hasHeightForWidth())
        self.archivedBadge.setSizePolicy(sizePolicy)
        self.archivedBadge.setProperty(u"role", u"badge-muted")

        self.headerLayout.addWidget(self.archivedBadge, 0, Qt.AlignmentFlag.AlignBottom)

        self.headerSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.headerLayout.addItem(self.headerSpacer)


        self.retranslateUi(InternHeader)

        QMetaObject.connectSlotsByName(InternHeader)
    # setupUi

    def retranslateUi(self, InternHeader):
        InternHeader.setWindowTitle(QCoreApplication.translate("InternHeader", u"Intern", None))
        self.nameLabel.setText(QCoreApplication.translate("InternHeader", u"Intern", None))
        self.summaryLabel.setText("")
        self.ruleChangeBadge.setText(QCoreApplication.translate("InternHeader", u"rules change soon", None))
        self.archivedBadge.setText(QCoreApplication.translate("InternHeader", u"archived", None))
    # retranslateUi

