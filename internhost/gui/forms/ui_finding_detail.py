# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'finding_detail.ui'
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
from PySide6.QtWidgets import (QApplication, QGridLayout, QHBoxLayout, QLabel,
    QSizePolicy, QSpacerItem, QVBoxLayout, QWidget)

class Ui_FindingDetail(object):
    def setupUi(self, FindingDetail):
        if not FindingDetail.objectName():
            FindingDetail.setObjectName(u"FindingDetail")
        FindingDetail.resize(720, 140)
        self.mainLayout = QVBoxLayout(FindingDetail)
        self.mainLayout.setSpacing(4)
        self.mainLayout.setObjectName(u"mainLayout")
        self.mainLayout.setContentsMargins(0, 0, 0, 0)
        self.headLayout = QHBoxLayout()
        self.headLayout.setSpacing(8)
        self.headLayout.setObjectName(u"headLayout")
        self.headLayout.setContentsMargins(0, 0, 0, 0)
        self.severityLabel = QLabel(FindingDetail)
        self.severityLabel.setObjectName(u"severityLabel")
        self.severityLabel.setText(u"\u2014")

        self.headLayout.addWidget(self.severityLabel)

        self.ruleLabel = QLabel(FindingDetail)
        self.ruleLabel.setObjectName(u"ruleLabel")
        self.ruleLabel.setText(u"\u2014")
        self.ruleLabel.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = QFont()
        font.setBold(True)
        self.ruleLabel.setFont(font)

        self.headLayout.addWidget(self.ruleLabel)

        self.staleBadge = QLabel(FindingDetail)
        self.staleBadge.setObjectName(u"staleBadge")
        sizePolicy = QSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        sizePolicy.setHorizontalStretch(0)
        sizePolicy.setVerticalStretch(0)
        sizePolicy.setHeightForWidth(self.staleBadge.sizePolicy().hasHeightForWidth())
        self.staleBadge.setSizePolicy(sizePolicy)
        self.staleBadge.setProperty(u"role", u"badge-muted")

        self.headLayout.addWidget(self.staleBadge)

        self.decisionBadge = QLabel(FindingDetail)
        self.decisionBadge.setObjectName(u"decisionBadge")
        sizePolicy.setHeightForWidth(self.decisionBadge.sizePolicy().hasHeightForWidth())
        self.decisionBadge.setSizePolicy(sizePolicy)
        self.decisionBadge.setProperty(u"role", u"badge-info")

        self.headLayout.addWidget(self.decisionBadge)

        self.headSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.headLayout.addItem(self.headSpacer)


        self.mainLayout.addLayout(self.headLayout)

        self.messageLabel = QLabel(FindingDetail)
        self.messageLabel.setObjectName(u"messageLabel")
        self.messageLabel.setText(u"\u2014")
        self.messageLabel.setWordWrap(True)
        self.messageLabel.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.mainLayout.addWidget(self.messageLabel)

        self.messageGap = QSpacerItem(0, 2, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)

        self.mainLayout.addItem(self.messageGap)

        self.factsGrid = QGridLayout()
        self.factsGrid.setObjectName(u"factsGrid")
        self.factsGrid.setHorizontalSpacing(14)
        self.factsGrid.setVerticalSpacing(4)
        self.factsGrid.setContentsMargins(0, 0, 0, 0)
        self.citationLabel = QLabel(FindingDetail)
        self.citationLabel.setObjectName(u"citationLabel")
        self.citationLabel.setAlignment(Qt.AlignmentFlag.AlignLeading|Qt.AlignmentFlag.AlignLeft|Qt.AlignmentFlag.AlignTop)
        self.citationLabel.setProperty(u"role", u"muted")

        self.factsGrid.addWidget(self.citationLabel, 0, 0, 1, 1)

        self.citationValue = QLabel(FindingDetail)
        self.citationValue.setObjectName(u"citationValue")
        self.citationValue.setText(u"\u2014")
        self.citationValue.setWordWrap(True)
        self.citationValue.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.factsGrid.addWidget(self.citationValue, 0, 1, 1, 1)

        self.jurisdictionLabel = QLabel(FindingDetail)
        self.jurisdictionLabel.setObjectName(u"jurisdictionLabel")
        self.jurisdictionLabel.setAlignment(Qt.AlignmentFlag.AlignLeading|Qt.AlignmentFlag.AlignLeft|Qt.AlignmentFlag.AlignTop)
        self.jurisdictionLabel.setProperty(u"role", u"muted")

        self.factsGrid.addWidget(self.jurisdictionLabel, 0, 2, 1, 1)

        self.jurisdictionValue = QLabel(FindingDetail)
        self.jurisdictionValue.setObjectName(u"jurisdictionValue")
        self.jurisdictionValue.setText(u"\u2014")
        self.jurisdictionValue.setWordWrap(True)
        self.jurisdictionValue.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.factsGrid.addWidget(self.jurisdictionValue, 0, 3, 1, 1)

        self.verificationLabel = QLabel(FindingDetail)
        self.verificationLabel.setObjectName(u"verificationLabel")
        self.verificationLabel.setAlignment(Qt.AlignmentFlag.AlignLeading|Qt.AlignmentFlag.AlignLeft|Qt.AlignmentFlag.AlignTop)
        self.verificationLabel.setProperty(u"role", u"muted")

        self.factsGrid.addWidget(self.verificationLabel, 1, 0, 1, 1)

        self.verificationLayout = QHBoxLayout()
        self.verificationLayout.setSpacing(8)
        self.verificationLayout.setObjectName(u"verificationLayout")
        self.verificationLayout.setContentsMargins(0, 0, 0, 0)
        self.unverifiedBadge = QLabel(FindingDetail)
        self.unverifiedBadge.setObjectName(u"unverifiedBadge")
        sizePolicy.setHeightForWidth(self.unverifiedBadge.sizePolicy().hasHeightForWidth())
        self.unverifiedBadge.setSizePolicy(sizePolicy)
        self.unverifiedBadge.setProperty(u"role", u"badge")

        self.verificationLayout.addWidget(self.unverifiedBadge)

        self.verificationValue = QLabel(FindingDetail)
        self.verificationValue.setObjectName(u"verificationValue")
        self.verificationValue.setText(u"\u2014")
        self.verificationValue.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.verificationLayout.addWidget(self.verificationValue)

        self.verificationSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.verificationLayout.addItem(self.verificationSpacer)


        self.factsGrid.addLayout(self.verificationLayout, 1, 1, 1, 1)

        self.sourceLabel = QLabel(FindingDetail)
        self.sourceLabel.setObjectName(u"sourceLabel")
        self.sourceLabel.setAlignment(Qt.AlignmentFlag.AlignLeading|Qt.AlignmentFlag.AlignLeft|Qt.AlignmentFlag.AlignTop)
        self.sourceLabel.setProperty(u"role", u"muted")

        self.factsGrid.addWidget(self.sourceLabel, 1, 2, 1, 1)

        self.sourceValue = QLabel(FindingDetail)
        self.sourceValue.setObjectName(u"sourceValue")
        self.sourceValue.setText(u"\u2014")
        self.sourceValue.setWordWrap(True)
        self.sourceValue.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.factsGrid.addWidget(self.sourceValue, 1, 3, 1, 1)

        self.decisionLabel = QLabel(FindingDetail)
        self.decisionLabel.setObjectName(u"decisionLabel")
        self.decisionLabel.setAlignment(Qt.AlignmentFlag.AlignLeading|Qt.AlignmentFlag.AlignLeft|Qt.AlignmentFlag.AlignTop)
        self.decisionLabel.setProperty(u"role", u"muted")

        self.factsGrid.addWidget(self.decisionLabel, 2, 0, 1, 1)

        self.decisionValue = QLabel(FindingDetail)
        self.decisionValue.setObjectName(u"decisionValue")
        self.decisionValue.setText(u"\u2014")
        self.decisionValue.setWordWrap(True)
        self.decisionValue.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.factsGrid.addWidget(self.decisionValue, 2, 1, 1, 3)

        self.factsGrid.setColumnStretch(1, 3)
        self.factsGrid.setColumnStretch(3, 2)

        self.mainLayout.addLayout(self.factsGrid)


        self.retranslateUi(FindingDetail)

        QMetaObject.connectSlotsByName(FindingDetail)
    # setupUi

    def retranslateUi(self, FindingDetail):
        FindingDetail.setWindowTitle(QCoreApplication.translate("FindingDetail", u"Finding", None))
        self.staleBadge.setText(QCoreApplication.translate("FindingDetail", u"Stale", None))
#if QT_CONFIG(tooltip)
        self.staleBadge.setToolTip(QCoreApplication.translate("FindingDetail", u"The facts or rule packs changed since this finding was computed; the next check refreshes it.", None))
#endif // QT_CONFIG(tooltip)
        self.decisionBadge.setText(QCoreApplication.translate("FindingDetail", u"Acknowledged", None))
        self.citationLabel.setText(QCoreApplication.translate("FindingDetail", u"Citation", None))
        self.jurisdictionLabel.setText(QCoreApplication.translate("FindingDetail", u"Jurisdiction", None))
        self.verificationLabel.setText(QCoreApplication.translate("FindingDetail", u"Verification", None))
        self.unverifiedBadge.setText(QCoreApplication.translate("FindingDetail", u"Unverified", None))
        self.sourceLabel.setText(QCoreApplication.translate("FindingDetail", u"Source", None))
        self.decisionLabel.setText(QCoreApplication.translate("FindingDetail", u"HR decision", None))
    # retranslateUi

