# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'intern_detail.ui'
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
from PySide6.QtWidgets import (QApplication, QFormLayout, QLabel, QSizePolicy,
    QVBoxLayout, QWidget)

class Ui_InternDetail(object):
    def setupUi(self, InternDetail):
        if not InternDetail.objectName():
            InternDetail.setObjectName(u"InternDetail")
        InternDetail.resize(420, 460)
        self.mainLayout = QVBoxLayout(InternDetail)
        self.mainLayout.setSpacing(4)
        self.mainLayout.setObjectName(u"mainLayout")
        self.mainLayout.setContentsMargins(0, 0, 0, 0)
        self.profileHeading = QLabel(InternDetail)
        self.profileHeading.setObjectName(u"profileHeading")
        self.profileHeading.setProperty(u"role", u"heading")

        self.mainLayout.addWidget(self.profileHeading)

        self.profileForm = QFormLayout()
        self.profileForm.setObjectName(u"profileForm")
        self.profileForm.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.profileForm.setLabelAlignment(Qt.AlignmentFlag.AlignLeft|Qt.AlignmentFlag.AlignTop)
        self.profileForm.setHorizontalSpacing(18)
        self.profileForm.setVerticalSpacing(5)
        self.legalNameLabel = QLabel(InternDetail)
        self.legalNameLabel.setObjectName(u"legalNameLabel")
        self.legalNameLabel.setProperty(u"role", u"muted")

        self.profileForm.setWidget(0, QFormLayout.ItemRole.LabelRole, self.legalNameLabel)

        self.legalNameValue = QLabel(InternDetail)
        self.legalNameValue.setObjectName(u"legalNameValue")
        self.legalNameValue.setText(u"\u2014")
        self.legalNameValue.setWordWrap(False)
        self.legalNameValue.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.profileForm.setWidget(0, QFormLayout.ItemRole.FieldRole, self.legalNameValue)

        self.preferredLabel = QLabel(InternDetail)
        self.preferredLabel.setObjectName(u"preferredLabel")
        self.preferredLabel.setProperty(u"role", u"muted")

        self.profileForm.setWidget(1, QFormLayout.ItemRole.LabelRole, self.preferredLabel)

        self.preferredValue = QLabel(InternDetail)
        self.preferredValue.setObjectName(u"preferredValue")
        self.preferredValue.setText(u"\u2014")
        self.preferredValue.setWordWrap(False)
        self.preferredValue.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.profileForm.setWidget(1, QFormLayout.ItemRole.FieldRole, self.preferredValue)

        self.ageLabel = QLabel(InternDetail)
        self.ageLabel.setObjectName(u"ageLabel")
        self.ageLabel.setProperty(u"role", u"muted")

        self.profileForm.setWidget(2, QFormLayout.ItemRole.LabelRole, self.ageLabel)

        self.ageValue = QLabel(InternDetail)
        self.ageValue.setObjectName(u"ageValue")
        self.ageValue.setText(u"\u2014")
        self.ageValue.setWordWrap(False)
        self.ageValue.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.profileForm.setWidget(2, QFormLayout.ItemRole.FieldRole, self.ageValue)

        self.birthDateLabel = QLabel(InternDetail)
        self.birthDateLabel.setObjectName(u"birthDateLabel")
        self.birthDateLabel.setProperty(u"role", u"muted")

        self.profileForm.setWidget(3, QFormLayout.ItemRole.LabelRole, self.birthDateLabel)

        self.birthDateValue = QLabel(InternDetail)
        self.birthDateValue.setObjectName(u"birthDateValue")
        self.birthDateValue.setText(u"\u2014")
        self.birthDateValue.setWordWrap(False)
        self.birthDateValue.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.profileForm.setWidget(3, QFormLayout.ItemRole.FieldRole, self.birthDateValue)

        self.ruleChangeLabel = QLabel(InternDetail)
        self.ruleChangeLabel.setObjectName(u"ruleChangeLabel")
        self.ruleChangeLabel.setProperty(u"role", u"muted")

        self.profileForm.setWidget(4, QFormLayout.ItemRole.LabelRole, self.ruleChangeLabel)

        self.ruleChangeValue = QLabel(InternDetail)
        self.ruleChangeValue.setObjectName(u"ruleChangeValue")
        self.ruleChangeValue.setText(u"\u2014")
        self.ruleChangeValue.setWordWrap(False)
        self.ruleChangeValue.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.profileForm.setWidget(4, QFormLayout.ItemRole.FieldRole, self.ruleChangeValue)

        self.schoolLabel = QLabel(InternDetail)
        self.schoolLabel.setObjectName(u"schoolLabel")
        self.schoolLabel.setProperty(u"role", u"muted")

        self.profileForm.setWidget(5, QFormLayout.ItemRole.LabelRole, self.schoolLabel)

        self.schoolValue = QLabel(InternDetail)
        self.schoolValue.setObjectName(u"schoolValue")
        self.schoolValue.setText(u"\u2014")
        self.schoolValue.setWordWrap(False)
        self.schoolValue.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.profileForm.setWidget(5, QFormLayout.ItemRole.FieldRole, self.schoolValue)

        self.districtLabel = QLabel(InternDetail)
        self.districtLabel.setObjectName(u"districtLabel")
        self.districtLabel.setProperty(u"role", u"muted")

        self.profileForm.setWidget(6, QFormLayout.ItemRole.LabelRole, self.districtLabel)

        self.districtValue = QLabel(InternDetail)
        self.districtValue.setObjectName(u"districtValue")
        self.districtValue.setText(u"\u2014")
        self.districtValue.setWordWrap(False)
        self.districtValue.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.profileForm.setWidget(6, QFormLayout.ItemRole.FieldRole, self.districtValue)

        self.gradeLabel = QLabel(InternDetail)
        self.gradeLabel.setObjectName(u"gradeLabel")
        self.gradeLabel.setProperty(u"role", u"muted")

        self.profileForm.setWidget(7, QFormLayout.ItemRole.LabelRole, self.gradeLabel)

        self.gradeValue = QLabel(InternDetail)
        self.gradeValue.setObjectName(u"gradeValue")
        self.gradeValue.setText(u"\u2014")
        self.gradeValue.setWordWrap(False)
        self.gradeValue.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.profileForm.setWidget(7, QFormLayout.ItemRole.FieldRole, self.gradeValue)

        self.studentIdLabel = QLabel(InternDetail)
        self.studentIdLabel.setObjectName(u"studentIdLabel")
        self.studentIdLabel.setProperty(u"role", u"muted")

        self.profileForm.setWidget(8, QFormLayout.ItemRole.LabelRole, self.studentIdLabel)

        self.studentIdValue = QLabel(InternDetail)
        self.studentIdValue.setObjectName(u"studentIdValue")
        self.studentIdValue.setText(u"\u2014")
        self.studentIdValue.setWordWrap(False)
        self.studentIdValue.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.profileForm.setWidget(8, QFormLayout.ItemRole.FieldRole, self.studentIdValue)

        self.residenceLabel = QLabel(InternDetail)
        self.residenceLabel.setObjectName(u"residenceLabel")
        self.residenceLabel.setProperty(u"role", u"muted")

        self.profileForm.setWidget(9, QFormLayout.ItemRole.LabelRole, self.residenceLabel)

        self.residenceLayout = QVBoxLayout()
        self.residenceLayout.setSpacing(4)
        self.residenceLayout.setObjectName(u"residenceLayout")
        self.residenceValue = QLabel(InternDetail)
        self.residenceValue.setObjectName(u"residenceValue")
        self.residenceValue.setText(u"\u2014")
        self.residenceValue.setWordWrap(False)
        self.residenceValue.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.residenceLayout.addWidget(self.residenceValue)

        self.residenceBadge = QLabel(InternDetail)
        self.residenceBadge.setObjectName(u"residenceBadge")
        sizePolicy = QSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        sizePolicy.setHorizontalStretch(0)
        sizePolicy.setVerticalStretch(0)
        sizePolicy.setHeightForWidth(self.residenceBadge.sizePolicy().hasHeightForWidth())
        self.residenceBadge.setSizePolicy(sizePolicy)
        self.residenceBadge.setProperty(u"role", u"badge")

        self.residenceLayout.addWidget(self.residenceBadge, 0, Qt.AlignmentFlag.AlignLeft)


        self.profileForm.setLayout(9, QFormLayout.ItemRole.FieldRole, self.residenceLayout)

        self.addressLabel = QLabel(InternDetail)
        self.addressLabel.setObjectName(u"addressLabel")
        self.addressLabel.setProperty(u"role", u"muted")

        self.profileForm.setWidget(10, QFormLayout.ItemRole.LabelRole, self.addressLabel)

        self.addressValue = QLabel(InternDetail)
        self.addressValue.setObjectName(u"addressValue")
        self.addressValue.setText(u"\u2014")
        self.addressValue.setWordWrap(False)
        self.addressValue.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.profileForm.setWidget(10, QFormLayout.ItemRole.FieldRole, self.addressValue)


        self.mainLayout.addLayout(self.profileForm)


        self.retranslateUi(InternDetail)

        QMetaObject.connectSlotsByName(InternDetail)
    # setupUi

    def retranslateUi(self, InternDetail):
        InternDetail.setWindowTitle(QCoreApplication.translate("InternDetail", u"Intern", None))
        self.profileHeading.setText(QCoreApplication.translate("InternDetail", u"Profile", None))
        self.legalNameLabel.setText(QCoreApplication.translate("InternDetail", u"Legal name", None))
        self.preferredLabel.setText(QCoreApplication.translate("InternDetail", u"Preferred name", None))
        self.ageLabel.setText(QCoreApplication.translate("InternDetail", u"Age", None))
        self.birthDateLabel.setText(QCoreApplication.translate("InternDetail", u"Birth date", None))
        self.ruleChangeLabel.setText(QCoreApplication.translate("InternDetail", u"Rules change", None))
        self.schoolLabel.setText(QCoreApplication.translate("InternDetail", u"School", None))
        self.districtLabel.setText(QCoreApplication.translate("InternDetail", u"School district", None))
        self.gradeLabel.setText(QCoreApplication.translate("InternDetail", u"Grade", None))
        self.studentIdLabel.setText(QCoreApplication.translate("InternDetail", u"Student ID", None))
        self.residenceLabel.setText(QCoreApplication.translate("InternDetail", u"Home district", None))
#if QT_CONFIG(tooltip)
        self.residenceBadge.setToolTip(QCoreApplication.translate("InternDetail", u"Federal hours follow the calendar of the district the intern lives in. Until someone confirms it, InternHost assumes the school's district.", None))
#endif // QT_CONFIG(tooltip)
        self.residenceBadge.setText(QCoreApplication.translate("InternDetail", u"unconfirmed", None))
        self.addressLabel.setText(QCoreApplication.translate("InternDetail", u"Home address", None))
    # retranslateUi

