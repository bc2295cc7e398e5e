{{- define "aigis.labels" -}}
app.kubernetes.io/name: aigis
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end -}}
{{- define "aigis.selector" -}}
app.kubernetes.io/name: aigis
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}
