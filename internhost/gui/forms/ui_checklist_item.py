# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'checklist_item.ui'
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
from PySide6.QtWidgets import (QApplication, QComboBox, QFormLayout, QHBoxLayout,
    QLabel, QPlainTextEdit, QPushButton, QSizePolicy,
    QSpacerItem, QVBoxLayout, QWidget)

class Ui_ChecklistItem(object):
    def setupUi(self, ChecklistItem):
        if not ChecklistItem.objectName():
            ChecklistItem.setObjectName(u"ChecklistItem")
        ChecklistItem.resize(900, 170)
        self.mainLayout = QHBoxLayout(ChecklistItem)
        self.mainLayout.setSpacing(28)
        self.mainLayout.setObjectName(u"mainLayout")
        self.mainLayout.setContentsMargins(0, 0, 0, 0)
        self.infoLayout = QVBoxLayout()
        self.infoLayout.setSpacing(4)
        self.infoLayout.setObjectName(u"infoLayout")
        self.infoLayout.setContentsMargins(0, 0, 0, 0)
        self.titleLabel = QLabel(ChecklistItem)
        self.titleLabel.setObjectName(u"titleLabel")
        self.titleLabel.setText(u"\u2014")
        self.titleLabel.setWordWrap(True)
        self.titleLabel.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.titleLabel.setProperty(u"role", u"heading")

        self.infoLayout.addWidget(self.titleLabel)

        self.metaLabel = QLabel(ChecklistItem)
        self.metaLabel.setObjectName(u"metaLabel")
        self.metaLabel.setText(u"\u2014")
        self.metaLabel.setWordWrap(True)
        self.metaLabel.setProperty(u"role", u"muted")

        self.infoLayout.addWidget(self.metaLabel)

        self.titleGap = QSpacerItem(0, 4, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)

        self.infoLayout.addItem(self.titleGap)

        self.infoForm = QFormLayout()
        self.infoForm.setObjectName(u"infoForm")
        self.infoForm.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.infoForm.setLabelAlignment(Qt.AlignmentFlag.AlignLeft|Qt.AlignmentFlag.AlignTop)
        self.infoForm.setHorizontalSpacing(14)
        self.infoForm.setVerticalSpacing(6)
        self.infoForm.setContentsMargins(0, 0, 0, 0)
        self.evidenceLabel = QLabel(ChecklistItem)
        self.evidenceLabel.setObjectName(u"evidenceLabel")
        self.evidenceLabel.setAlignment(Qt.AlignmentFlag.AlignLeading|Qt.AlignmentFlag.AlignLeft|Qt.AlignmentFlag.AlignTop)
        self.evidenceLabel.setProperty(u"role", u"muted")

        self.infoForm.setWidget(0, QFormLayout.ItemRole.LabelRole, self.evidenceLabel)

        self.evidenceValue = QLabel(ChecklistItem)
        self.evidenceValue.setObjectName(u"evidenceValue")
        self.evidenceValue.setText(u"\u2014")
        self.evidenceValue.setWordWrap(True)
        self.evidenceValue.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.infoForm.setWidget(0, QFormLayout.ItemRole.FieldRole, self.evidenceValue)

        self.citationLabel = QLabel(ChecklistItem)
        self.citationLabel.setObjectName(u"citationLabel")
        self.citationLabel.setAlignment(Qt.AlignmentFlag.AlignLeading|Qt.AlignmentFlag.AlignLeft|Qt.AlignmentFlag.AlignTop)
        self.citationLabel.setProperty(u"role", u"muted")

        self.infoForm.setWidget(1, QFormLayout.ItemRole.LabelRole, self.citationLabel)

        self.citationValue = QLabel(ChecklistItem)
        self.citationValue.setObjectName(u"citationValue")
        self.citationValue.setText(u"\u2014")
        self.citationValue.setWordWrap(True)
        self.citationValue.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.infoForm.setWidget(1, QFormLayout.ItemRole.FieldRole, self.citationValue)

        self.verificationLabel = QLabel(ChecklistItem)
        self.verificationLabel.setObjectName(u"verificationLabel")
        self.verificationLabel.setAlignment(Qt.AlignmentFlag.AlignLeading|Qt.AlignmentFlag.AlignLeft|Qt.AlignmentFlag.AlignTop)
        self.verificationLabel.setProperty(u"role", u"muted")

        self.infoForm.setWidget(2, QFormLayout.ItemRole.LabelRole, self.verificationLabel)

        self.verificationLayout = QHBoxLayout()
        self.verificationLayout.setSpacing(8)
        self.verificationLayout.setObjectName(u"verificationLayout")
        self.verificationLayout.setContentsMargins(0, 0, 0, 0)
        self.unverifiedBadge = QLabel(ChecklistItem)
        self.unverifiedBadge.setObjectName(u"unverifiedBadge")
        sizePolicy = QSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        sizePolicy.setHorizontalStretch(0)
        sizePolicy.setVerticalStretch(0)
        sizePolicy.setHeightForWidth(self.unverifiedBadge.sizePolicy().hasHeightForWidth())
        self.unverifiedBadge.setSizePolicy(sizePolicy)
        self.unverifiedBadge.setProperty(u"role", u"badge")

        self.verificationLayout.addWidget(self.unverifiedBadge)

        self.verificationValue = QLabel(ChecklistItem)
        self.verificationValue.setObjectName(u"verificationValue")
        self.verificationValue.setText(u"\u2014")
        self.verificationValue.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.verificationLayout.addWidget(self.verificationValue)

        self.verificationSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.verificationLayout.addItem(self.verificationSpacer)


        self.infoForm.setLayout(2, QFormLayout.ItemRole.FieldRole, self.verificationLayout)


        self.infoLayout.addLayout(self.infoForm)

        self.infoSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.infoLayout.addItem(self.infoSpacer)


        self.mainLayout.addLayout(self.infoLayout)

        self.editLayout = QVBoxLayout()
        self.editLayout.setSpacing(6)
        self.editLayout.setObjectName(u"editLayout")
        self.editLayout.setContentsMargins(0, 0, 0, 0)
        self.editForm = QFormLayout()
        self.editForm.setObjectName(u"editForm")
        self.editForm.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.editForm.setLabelAlignment(Qt.AlignmentFlag.AlignLeft|Qt.AlignmentFlag.AlignTop)
        self.editForm.setHorizontalSpacing(14)
        self.editForm.setVerticalSpacing(6)
        self.editForm.setContentsMargins(0, 0, 0, 0)
        self.statusLabel = QLabel(ChecklistItem)
        self.statusLabel.setObjectName(u"statusLabel")
        self.statusLabel.setAlignment(Qt.AlignmentFlag.AlignLeading|Qt.AlignmentFlag.AlignLeft|Qt.AlignmentFlag.AlignTop)
        self.statusLabel.setProperty(u"role", u"muted")

        self.editForm.setWidget(0, QFormLayout.ItemRole.LabelRole, self.statusLabel)

        self.statusLayout = QVBoxLayout()
        self.statusLayout.setSpacing(2)
        self.statusLayout.setObjectName(u"statusLayout")
        self.statusLayout.setContentsMargins(0, 0, 0, 0)
        self.statusRow = QHBoxLayout()
        self.statusRow.setSpacing(8)
        self.statusRow.setObjectName(u"statusRow")
        self.statusRow.setContentsMargins(0, 0, 0, 0)
        self.statusCombo = QComboBox(ChecklistItem)
        self.statusCombo.setObjectName(u"statusCombo")
        self.statusCombo.setMinimumContentsLength(14)
        self.statusCombo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)

        self.statusRow.addWidget(self.statusCombo)

        self.statusSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.statusRow.addItem(self.statusSpacer)


        self.statusLayout.addLayout(self.statusRow)

        self.statusError = QLabel(ChecklistItem)
        self.statusError.setObjectName(u"statusError")
        self.statusError.setWordWrap(True)
        self.statusError.setProperty(u"role", u"error")

        self.statusLayout.addWidget(self.statusError)


        self.editForm.setLayout(0, QFormLayout.ItemRole.FieldRole, self.statusLayout)

        self.noteLabel = QLabel(ChecklistItem)
        self.noteLabel.setObjectName(u"noteLabel")
        self.noteLabel.setAlignment(Qt.AlignmentFlag.AlignLeading|Qt.AlignmentFlag.AlignLeft|Qt.AlignmentFlag.AlignTop)
        self.noteLabel.setProperty(u"role", u"muted")

        self.editForm.setWidget(1, QFormLayout.ItemRole.LabelRole, self.noteLabel)

        self.noteLayout = QVBoxLayout()
        self.noteLayout.setSpacing(2)
        self.noteLayout.setObjectName(u"noteLayout")
        self.noteLayout.setContentsMargins(0, 0, 0, 0)
        self.noteEdit = QPlainTextEdit(ChecklistItem)
        self.noteEdit.setObjectName(u"noteEdit")
        self.noteEdit.setMinimumSize(QSize(0, 58))
        self.noteEdit.setMaximumSize(QSize(16777215, 58))
        self.noteEdit.setTabChangesFocus(True)

        self.noteLayout.addWidget(self.noteEdit)

        self.noteError = QLabel(ChecklistItem)
        self.noteError.setObjectName(u"noteError")
        self.noteError.setWordWrap(True)
        self.noteError.setProperty(u"role", u"error")

        self.noteLayout.addWidget(self.noteError)


        self.editForm.setLayout(1, QFormLayout.ItemRole.FieldRole, self.noteLayout)


        self.editLayout.addLayout(self.editForm)

        self.messageLabel = QLabel(ChecklistItem)
        self.messageLabel.setObjectName(u"messageLabel")
        self.messageLabel.setWordWrap(True)
        self.messageLabel.setProperty(u"role", u"error")

        self.editLayout.addWidget(self.messageLabel)

        self.buttonRow = QHBoxLayout()
        self.buttonRow.setSpacing(8)
        self.buttonRow.setObjectName(u"buttonRow")
        self.buttonRow.setContentsMargins(0, 0, 0, 0)
        self.readOnlyLabel = QLabel(ChecklistItem)
        self.readOnlyLabel.setObjectName(u"readOnlyLabel")
        self.readOnlyLabel.setWordWrap(True)
        self.readOnlyLabel.setProperty(u"role", u"muted")

        self.buttonRow.addWidget(self.readOnlyLabel)

        self.buttonSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.buttonRow.addItem(self.buttonSpacer)

        self.revertButton = QPushButton(ChecklistItem)
        self.revertButton.setObjectName(u"revertButton")
        self.revertButton.setProperty(u"role", u"secondary")

        self.buttonRow.addWidget(self.revertButton)

        self.saveButton = QPushButton(ChecklistItem)
        self.saveButton.setObjectName(u"saveButton")
        self.saveButton.setProperty(u"role", u"primary")

        self.buttonRow.addWidget(self.saveButton)


        self.editLayout.addLayout(self.buttonRow)

        self.editSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.editLayout.addItem(self.editSpacer)


        self.mainLayout.addLayout(self.editLayout)

        self.mainLayout.setStretch(0, 3)
        self.mainLayout.setStretch(1, 2)

        self.retranslateUi(ChecklistItem)

        self.saveButton.setDefault(True)


        QMetaObject.connectSlotsByName(ChecklistItem)
    # setupUi

    def retranslateUi(self, ChecklistItem):
        ChecklistItem.setWindowTitle(QCoreApplication.translate("ChecklistItem", u"Checklist item", None))
        self.evidenceLabel.setText(QCoreApplication.translate("ChecklistItem", u"Evidence", None))
        self.citationLabel.setText(QCoreApplication.translate("ChecklistItem", u"Citation", None))
        self.verificationLabel.setText(QCoreApplication.translate("ChecklistItem", u"Verification", None))
        self.unverifiedBadge.setText(QCoreApplication.translate("ChecklistItem", u"Unverified", None))
        self.statusLabel.setText(QCoreApplication.translate("ChecklistItem", u"Status", None))
        self.statusError.setText("")
        self.noteLabel.setText(QCoreApplication.translate("ChecklistItem", u"Note", None))
        self.noteEdit.setPlaceholderText(QCoreApplication.translate("ChecklistItem", u"What was done, by whom, where the evidence is", None))
        self.noteError.setText("")
        self.messageLabel.setText("")
        self.readOnlyLabel.setText(QCoreApplication.translate("ChecklistItem", u"Your role may not change checklist items.", None))
        self.revertButton.setText(QCoreApplication.translate("ChecklistItem", u"Discard changes", None))
        self.saveButton.setText(QCoreApplication.translate("ChecklistItem", u"Save", None))
    # retranslateUi

